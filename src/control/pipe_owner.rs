//! Whose process serves a named pipe (Windows). Any local user can create a
//! pipe of a given name before the node does, and a node's pipe name follows
//! from its data directory's path, so it can be guessed. A client that
//! checked nothing would hand such a process its command line (names, phone
//! numbers) and print whatever it answered. The client therefore talks only
//! to a pipe served by a process of its own user, as the Unix node talks
//! only to a client of its own uid. This is the crate's only `unsafe`: the
//! Win32 calls have no safe wrapper in the crates we use.

use std::io::{Error, Result};
use std::os::windows::io::AsRawHandle;
use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
use windows_sys::Win32::Security::{EqualSid, GetTokenInformation, TokenUser, TOKEN_QUERY, TOKEN_USER};
use windows_sys::Win32::System::Pipes::GetNamedPipeServerProcessId;
use windows_sys::Win32::System::Threading::{
    GetCurrentProcess, OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
};

/// A handle this module opened and must close.
struct Owned(HANDLE);

impl Drop for Owned {
    fn drop(&mut self) {
        // SAFETY: the handle was returned open by OpenProcess/OpenProcessToken and is closed once.
        unsafe { CloseHandle(self.0) };
    }
}

/// True when the process serving `pipe` runs as the same user as this one.
pub fn served_by_this_user(pipe: &std::fs::File) -> Result<bool> {
    let mut pid = 0u32;
    // SAFETY: `pipe` is an open pipe handle for the duration of the call; `pid` is a valid out pointer.
    if unsafe { GetNamedPipeServerProcessId(pipe.as_raw_handle() as HANDLE, &mut pid) } == 0 {
        return Err(Error::last_os_error());
    }
    // SAFETY: plain call; a null result is checked below.
    let server = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if server.is_null() {
        return Err(Error::last_os_error());
    }
    let server = Owned(server);
    let theirs = token_user(server.0)?;
    // SAFETY: the current process's pseudo-handle needs no closing.
    let ours = token_user(unsafe { GetCurrentProcess() })?;
    // SAFETY: both buffers hold a TOKEN_USER filled by GetTokenInformation, whose SID pointer
    // points inside the same buffer, alive for this call.
    Ok(unsafe { EqualSid(sid(&theirs), sid(&ours)) } != 0)
}

/// The TOKEN_USER of a process, in a buffer aligned for it.
fn token_user(process: HANDLE) -> Result<Vec<u64>> {
    let mut token: HANDLE = std::ptr::null_mut();
    // SAFETY: `process` is open with query rights; `token` receives a handle closed by `Owned`.
    if unsafe { OpenProcessToken(process, TOKEN_QUERY, &mut token) } == 0 {
        return Err(Error::last_os_error());
    }
    let token = Owned(token);
    let mut needed = 0u32;
    // SAFETY: asking for the size only (null buffer, length 0); it fails and sets `needed`.
    unsafe { GetTokenInformation(token.0, TokenUser, std::ptr::null_mut(), 0, &mut needed) };
    if needed == 0 {
        return Err(Error::last_os_error());
    }
    let mut buffer = vec![0u64; (needed as usize).div_ceil(8)];
    // SAFETY: the buffer holds at least `needed` bytes, 8-aligned (TOKEN_USER needs pointer alignment).
    if unsafe { GetTokenInformation(token.0, TokenUser, buffer.as_mut_ptr().cast(), needed, &mut needed) } == 0 {
        return Err(Error::last_os_error());
    }
    Ok(buffer)
}

/// # Safety
/// `token_user` must be a buffer filled by GetTokenInformation(TokenUser).
unsafe fn sid(token_user: &[u64]) -> *mut core::ffi::c_void {
    // SAFETY: per this function's contract the buffer starts with a TOKEN_USER.
    unsafe { (*(token_user.as_ptr() as *const TOKEN_USER)).User.Sid }
}
