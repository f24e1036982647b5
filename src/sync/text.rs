//! Text a peer sent us (a joiner's name, an error it reports) ends up in
//! peers.json, logs, `peer list` and the UI. Terminal escapes could rewrite
//! a secretary's screen and bidi overrides could disguise a name, so such
//! text is cleaned and capped wherever it is stored or printed.

/// Longest peer name kept, in characters.
pub const NAME_CHARS: usize = 64;
/// Longest error text kept, in characters.
pub const ERROR_CHARS: usize = 500;

/// Characters that change how the rest is shown: bidi embeddings and
/// overrides, zero-width marks, the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

/// `text` with control and invisible formatting characters dropped (line
/// breaks and tabs become spaces), trimmed and cut to `max` characters
/// (an ellipsis marks the cut).
pub fn clean(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for c in text.chars() {
        let c = match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() || invisible(c) => continue,
            c => c,
        };
        if count == max.saturating_sub(1) {
            out.push('…');
            return out.trim().to_string();
        }
        out.push(c);
        count += 1;
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_overrides_are_dropped_and_length_capped() {
        assert_eq!(clean("\u{1b}[2J培训\r\n笔记本\u{202e}", 64), "[2J培训  笔记本");
        assert_eq!(clean("成都市联合会", 64), "成都市联合会");
        let long = clean(&"长".repeat(1000), 64);
        assert_eq!(long.chars().count(), 64);
        assert!(long.ends_with('…'));
        assert_eq!(clean("\u{7}\u{0}", 64), "");
    }
}
