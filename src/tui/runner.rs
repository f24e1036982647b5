//! The terminal loop: raw mode and the alternate screen, one channel of
//! events (keys, job results, store changes), effects run as store jobs,
//! and a redraw only when something changed.

use super::app::{App, Data, Effect, Event};
use super::view;
use crate::domain::report::Report;
use crate::domain::*;
use crate::ops::{self, records::Save, Clock, Env, OpResult};
use crate::store::{Origin, Store, StoreEvent, StoreHandle};
use crate::sync::{Daemon, NodeStatus};
use anyhow::Result;
use crossterm::event::{EventStream, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};
use futures::StreamExt;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::{mpsc, watch};

pub struct Options {
    pub lang: Lang,
    pub monochrome: bool,
    pub mouse: bool,
    /// Where the sync node accepts peers; None runs no node (`--offline`).
    pub listen: Option<std::net::SocketAddr>,
    /// Announce the node on the LAN and find peers there (`--no-discovery` turns it off).
    pub discovery: bool,
    /// Runs the CLI commands typed in other terminals while the UI holds the
    /// data directory (`crate::control`); main passes the CLI's.
    pub control: Option<crate::control::Handler>,
    /// Days of daily backups kept in the data directory (0: none).
    pub keep_backups: usize,
}

/// Opens the data directory and runs the UI until the user quits.
pub fn run(dir: &Path, opts: Options) -> Result<()> {
    // Open before touching the terminal, so an error prints normally. A
    // `hubsync serve` holding the directory hands it over (and takes it
    // back when the UI closes); another UI holding it refuses.
    let (store, took_over) = match Store::open(dir) {
        Err(crate::store::StoreError::InUse(_)) if crate::control::client::is_listening(dir) => {
            (crate::control::client::take_over(dir)?, true)
        }
        other => (other?, false),
    };
    let warnings = store.warnings().to_vec();
    let handle = StoreHandle::spawn(store);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    // Exports go beside the data directory by default, not inside it.
    let export_dir = std::path::absolute(dir).ok().and_then(|d| d.parent().map(Path::to_path_buf));
    runtime.block_on(event_loop(handle, opts, (warnings, took_over), export_dir))
}

fn setup(mouse: bool) -> Result<ratatui::DefaultTerminal> {
    let terminal = ratatui::init();
    crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste)?;
    if mouse {
        crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)?;
    }
    Ok(terminal)
}

fn restore(mouse: bool) {
    if mouse {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
    }
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
}

async fn event_loop(
    handle: StoreHandle,
    opts: Options,
    (warnings, took_over): (Vec<String>, bool),
    export_dir: Option<std::path::PathBuf>,
) -> Result<()> {
    let mut terminal = setup(opts.mouse)?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Event>();
    let mut changes = handle.subscribe();
    let _daily = crate::ops::backup::spawn_daily(handle.clone(), opts.keep_backups);
    let mut input = EventStream::new();
    let clock: Arc<dyn Clock> = crate::clock::machine();
    let mut app = App::new(opts.lang, clock.today());
    app.monochrome = opts.monochrome;
    app.mouse = opts.mouse;
    app.export_dir = export_dir;
    for w in warnings {
        app.error(w);
    }
    if took_over {
        // Short: the status line is often 80 columns; the history keeps it.
        app.say(
            opts.lang.pick("已从 hubsync serve 接管,退出后交还", "took over from hubsync serve; handed back on quit"),
        );
    }
    let daemon = match opts.listen {
        Some(listen) => start_node(&handle, listen, opts.discovery, &mut app).await,
        None => None,
    };
    let _control = match opts.control.clone() {
        Some(handler) => start_control(&handle, daemon.clone(), handler, &mut app).await,
        None => None,
    };
    let mut status = daemon.as_ref().map(|d| d.status());
    for effect in app.start() {
        spawn(effect, app.lang, &handle, &clock, &tx, &daemon);
    }
    let result = loop {
        if app.dirty {
            let mut hits = None;
            if let Err(e) = terminal.draw(|f| hits = Some(view::draw(f, &app))) {
                break Err(e.into());
            }
            app.drawn(hits.unwrap_or_default());
        }
        let event = tokio::select! {
            Some(item) = input.next() => match item {
                Ok(crossterm::event::Event::Key(k)) => Event::Key(k),
                Ok(crossterm::event::Event::Paste(text)) => Event::Paste(text),
                Ok(crossterm::event::Event::Resize(..)) => Event::Resize,
                Ok(crossterm::event::Event::Mouse(m)) if app.mouse => match m.kind {
                    MouseEventKind::ScrollUp => Event::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)),
                    MouseEventKind::ScrollDown => Event::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
                    MouseEventKind::Down(MouseButton::Left) => Event::Click(m.column, m.row),
                    _ => continue,
                },
                Ok(_) => continue,
                Err(e) => break Err(e.into()),
            },
            Some(event) = rx.recv() => event,
            Ok(StoreEvent::Changed { origin: Origin::Peer(_) | Origin::Client, .. }) = changes.recv() => Event::StoreChanged,
            node = next_status(&mut status) => Event::SyncStatus(node),
        };
        let effects = app.update(event);
        if effects.contains(&Effect::Quit) {
            break Ok(());
        }
        for effect in effects {
            spawn(effect, app.lang, &handle, &clock, &tx, &daemon);
        }
    };
    if let Some(d) = &daemon {
        d.node.endpoint.close(0u32.into(), b"closing");
    }
    restore(opts.mouse);
    result
}

/// Starts the sync node, so peers' changes arrive while the UI is open. A
/// taken port falls back to a free one; a node that cannot start at all is
/// an error message, not a reason to refuse the UI.
async fn start_node(
    handle: &StoreHandle,
    listen: std::net::SocketAddr,
    discovery: bool,
    app: &mut App,
) -> Option<Arc<Daemon>> {
    let dir = handle.call(|s| s.dir().to_path_buf()).await;
    let env = ops::node::NodeEnv::new(handle.clone(), None, dir);
    let cmd = ops::node::Serve { listen: listen.to_string(), interval: None, discovery, fallback_port: true };
    match ops::node::serve(&env, cmd) {
        Ok(serving) => {
            app.update(Event::NodeStarted(serving.node_id.to_string()));
            app.update(Event::SyncStatus(serving.daemon.status().borrow().clone()));
            Some(serving.daemon)
        }
        Err(e) => {
            app.error(e.to_string());
            None
        }
    }
}

/// Lets CLI commands typed in other terminals run here while the UI is open.
/// Failing to listen is a message: the UI works without it.
async fn start_control(
    handle: &StoreHandle,
    daemon: Option<Arc<Daemon>>,
    handler: crate::control::Handler,
    app: &mut App,
) -> Option<crate::control::Listening> {
    let dir = handle.call(|s| s.dir().to_path_buf()).await;
    match crate::control::listen(
        crate::control::NodeParts { store: handle.clone(), daemon, dir, hand_over: None },
        handler,
    ) {
        Ok(listening) => Some(listening),
        Err(e) => {
            app.error(format!("{e:#}"));
            None
        }
    }
}

/// The node's next state; never resolves when there is no node.
async fn next_status(status: &mut Option<watch::Receiver<NodeStatus>>) -> NodeStatus {
    if let Some(rx) = status {
        if rx.changed().await.is_ok() {
            return rx.borrow_and_update().clone();
        }
    }
    std::future::pending().await
}

async fn sync_now(handle: StoreHandle, daemon: Option<Arc<Daemon>>, lang: Lang) -> Event {
    let Some(daemon) = daemon else {
        return Event::Done(Err(lang.pick("同步未启动", "sync is off: --offline").into()));
    };
    let dir = daemon.node.dir.clone();
    let env = ops::node::NodeEnv::new(handle, Some(daemon), dir);
    match ops::node::sync(&env, ops::node::SyncNow::default()).await {
        Ok(synced) => {
            let failed = synced.failed() > 0;
            let lines: Vec<String> = synced
                .peers
                .into_iter()
                .map(|r| match r {
                    Ok(s) => match lang {
                        Lang::Zh => {
                            format!("{}: {} 文档, 收 {} 发 {} 修改", s.peer, s.synced, s.changes_in, s.changes_out)
                        }
                        Lang::En => {
                            format!("{}: {} docs, {} changes in, {} out", s.peer, s.synced, s.changes_in, s.changes_out)
                        }
                    },
                    Err(e) => e.describe(lang),
                })
                .collect();
            Event::Done(if failed { Err(lines.join("; ")) } else { Ok(lines.join("; ")) })
        }
        Err(e) => Event::Done(Err(e.to_string())),
    }
}

/// Runs one effect on the store thread; its result comes back as an event.
fn spawn(
    effect: Effect,
    lang: Lang,
    handle: &StoreHandle,
    clock: &Arc<dyn Clock>,
    tx: &mpsc::UnboundedSender<Event>,
    daemon: &Option<Arc<Daemon>>,
) {
    let handle = handle.clone();
    let clock = clock.clone();
    let tx = tx.clone();
    if effect == Effect::SyncNow {
        let daemon = daemon.clone();
        tokio::spawn(async move {
            let _ = tx.send(sync_now(handle, daemon, lang).await);
        });
        return;
    }
    tokio::spawn(async move {
        let event = handle.call(move |s| execute(s, &*clock, effect, lang)).await;
        if let Some(e) = event {
            let _ = tx.send(e);
        }
    });
}

/// A saved booking's message, warned when it overlaps another live booking
/// (at booking and at confirming alike).
fn booked(r: OpResult<ops::bookings::Booked>, lang: Lang) -> Event {
    match r {
        Ok(d) => {
            let b = &d.booking;
            let text = format!(
                "{}: {} {} {}–{} [{}]",
                lang.pick("已保存预约", "booking saved"),
                d.venue_name,
                b.date,
                b.start,
                b.end,
                b.status.label(lang)
            );
            let overlaps = lang.pick("⚠ 时间与此预约重叠", "⚠ overlaps");
            let warnings = d
                .overlapping
                .iter()
                .map(|o| {
                    format!("{overlaps}: {} · {}", d.venue_name, text::booking_line(&o.booking, &o.org_name, lang))
                })
                .collect();
            Event::Warned(text, warnings)
        }
        Err(ops::OpError::Invalid(fields)) => Event::Invalid(fields),
        Err(e) => Event::Done(Err(e.to_string())),
    }
}

fn done<T>(r: OpResult<T>, ok: impl FnOnce(T) -> String) -> Option<Event> {
    match r {
        Err(ops::OpError::Invalid(fields)) => Some(Event::Invalid(fields)),
        r => Some(Event::Done(r.map(ok).map_err(|e| e.to_string()))),
    }
}

/// What an effect does to the store. Runs on the store thread; its
/// message is in `lang`, the UI's language when the effect was made.
pub fn execute(s: &mut Store, clock: &dyn Clock, effect: Effect, lang: Lang) -> Option<Event> {
    match effect {
        Effect::Quit | Effect::SyncNow => None,
        Effect::LoadLan => Some(Event::LanLoaded(crate::sync::discovery::load_seen(s.dir()))),
        Effect::ImportCheck(cmd) => {
            let result = ops::import::import(&mut Env::new(s, clock), (*cmd).clone());
            Some(Event::ImportChecked(cmd, result.map(Box::new).map_err(|e| e.to_string())))
        }
        Effect::Export(cmd) => done(ops::export::save_file(&mut Env::new(s, clock), *cmd), |d| {
            let rows = if d.rows > 0 { format!(" ({} {})", d.rows, lang.pick("行", "rows")) } else { String::new() };
            let covers = match d.covers.len() {
                0 => String::new(),
                n => lang.pick(format!(" · 涵盖 {n} 个联合会"), format!(" · covers {n} federations")),
            };
            format!("{}: {}{rows}{covers}", lang.pick("已导出", "exported"), d.path.display())
        }),
        Effect::ImportApply(cmd) => {
            let result = ops::import::import(&mut Env::new(s, clock), *cmd);
            Some(Event::Done(
                result.map_err(|e| e.to_string()).and_then(|done| crate::tui::import::outcome_text(&done, lang)),
            ))
        }
        Effect::SaveVenue { venue, new } => {
            done(ops::records::save(&mut Env::new(s, clock), Save { record: *venue, new }), |d| {
                format!("{}: {}", lang.pick("已保存", "saved"), d.record.name)
            })
        }
        Effect::SaveBooking { booking, new } => {
            Some(booked(ops::bookings::save(&mut Env::new(s, clock), *booking, new), lang))
        }
        Effect::CancelBooking(id) => {
            let cmd = ops::bookings::SetStatus { booking: (&id).into(), status: BookingStatus::Cancelled };
            done(ops::bookings::set_status(&mut Env::new(s, clock), cmd), |d| {
                let b = d.booking;
                format!("{}: {} {}–{}", lang.pick("已取消预约", "cancelled"), b.date, b.start, b.end)
            })
        }
        Effect::SaveTraining { training, new } => {
            done(ops::records::save(&mut Env::new(s, clock), Save { record: *training, new }), |d| {
                format!("{}: {}", lang.pick("已保存", "saved"), d.record.title)
            })
        }
        Effect::AddSession { training, session } => {
            let cmd = ops::trainings::AddSession {
                training: (&training).into(),
                date: session.date,
                start: session.start.clone(),
                end: session.end.clone(),
                venue: session.venue.as_ref().map(Into::into),
            };
            done(ops::trainings::add_session(&mut Env::new(s, clock), cmd), |d| {
                format!("{}: {} {}", lang.pick("已增加课次", "added session"), d.title, d.session.date)
            })
        }
        Effect::AddPeer { node_id, name, addr } => {
            let cmd = ops::peers::AddPeer { node_id: *node_id, name, addr };
            done(ops::peers::add(s.dir(), cmd), |d| format!("{}: {}", lang.pick("已添加对等方", "added peer"), d.name))
        }
        Effect::Invite { addr, write } => {
            let codes = ops::peers::Codes::Both;
            let cmd = ops::peers::Invite { addr, docs: Vec::new(), write, hours: 24, codes };
            Some(match ops::peers::invite(s.dir(), clock, cmd) {
                Ok(invited) => Event::ShowText(invite_text(&invited)),
                Err(e) => Event::Done(Err(e.to_string())),
            })
        }
        Effect::SetGrants { peer, grants } => {
            done(ops::peers::set_grants(s.dir(), ops::peers::SetGrants { peer, grants }), |d| {
                let mut changes: Vec<String> = d
                    .granted
                    .iter()
                    .map(|(k, g)| format!("+{k}:{}", if *g == crate::sync::Grant::Write { "rw" } else { "r" }))
                    .collect();
                changes.extend(d.removed.iter().map(|k| format!("-{k}")));
                if changes.is_empty() {
                    format!("{}: {}", lang.pick("共享未变", "sharing unchanged"), d.name)
                } else {
                    format!("{}: {} {}", lang.pick("已更新共享", "sharing updated"), d.name, changes.join(" "))
                }
            })
        }
        Effect::LoadAll => Some(Event::Loaded(Box::new(load(s)))),
        Effect::LoadReport(lang) => Some(Event::ReportLoaded(report(s, clock.today(), lang))),
        Effect::LoadOrg(id) => {
            let org = s.get::<Organization>(&id).ok().flatten()?;
            let conflicts =
                ops::conflicts::of_record(&mut Env::new(s, clock), Collection::Orgs, &id).unwrap_or_default();
            Some(Event::OrgLoaded(Box::new(org), conflicts))
        }
        Effect::LoadConflicts(kind, id) => {
            let conflicts = ops::conflicts::of_record(&mut Env::new(s, clock), kind, &id).unwrap_or_default();
            Some(Event::ConflictsLoaded(id, conflicts))
        }
        Effect::SaveOrg { org, new } => {
            done(ops::records::save(&mut Env::new(s, clock), Save { record: *org, new }), |d| {
                format!("{}: {}", lang.pick("已保存", "saved"), d.record.name)
            })
        }
        Effect::SavePerson { person, new } => {
            done(ops::records::save(&mut Env::new(s, clock), Save { record: *person, new }), |d| {
                format!("{}: {}", lang.pick("已保存", "saved"), d.record.name)
            })
        }
        Effect::ExitOrg { id, date, reason, kind } => {
            let cmd = ops::orgs::Exit { org: (&id).into(), date, reason, kind };
            done(ops::orgs::exit(&mut Env::new(s, clock), cmd), |d| {
                format!("{}: {}", lang.pick("组织已退出,记录保留", "organization exited, record kept"), d.org.name)
            })
        }
        Effect::Resolve { kind, id, field, value } => {
            let cmd = ops::records::Resolve { kind, record: (&id).into(), field, value };
            done(ops::records::resolve(&mut Env::new(s, clock), cmd), |d| {
                format!("{}: {}", lang.pick("冲突已解决", "conflict resolved"), d.field)
            })
        }
        Effect::Assign(a) => {
            let cmd = ops::liaisons::Assign {
                person: (&a.person).into(),
                org: (&a.organization).into(),
                role: a.role,
                from: Some(a.from),
                dispatched_by: a.dispatched_by.clone(),
            };
            done(ops::liaisons::assign(&mut Env::new(s, clock), cmd), |d| {
                format!("{}: {}", lang.pick("已选派", "assigned"), d.org_name)
            })
        }
        Effect::EndAssignment(a) => {
            let cmd = ops::liaisons::End {
                assignment: (&a.id).into(),
                to: a.to.unwrap_or_else(|| clock.today()),
                reason: a.end_reason.clone(),
            };
            done(ops::liaisons::end(&mut Env::new(s, clock), cmd), |d| {
                format!("{}: {}", lang.pick("已结束选派", "assignment ended"), d.org_name)
            })
        }
        Effect::SignIn(a) => {
            let cmd = ops::trainings::SignIn {
                training: (&a.training).into(),
                session: a.session.clone(),
                person: (&a.person).into(),
                hours: Some(a.hours),
                org: a.organization.as_ref().map(Into::into),
                correct: false,
            };
            done(ops::trainings::sign_in(&mut Env::new(s, clock), cmd), |d| {
                format!("{}: {}", lang.pick("已签到", "signed in"), d.person_name)
            })
        }
        Effect::WalkIn { training, session, person } => {
            let cmd = ops::trainings::WalkIn { training: (&training).into(), session, person: *person };
            done(ops::trainings::walk_in(&mut Env::new(s, clock), cmd), |d| {
                format!("{}: {}", lang.pick("已现场登记并签到", "walk-in signed in"), d.person.name)
            })
        }
        Effect::CreateFederation(f) => done(ops::records::create_federation(&mut Env::new(s, clock), *f), |d| {
            format!("{}: {}", lang.pick("已创建联合会", "created federation"), d.record.name)
        }),
        Effect::Work(w) => Some(super::work_exec::execute(s, clock, *w, lang)),
        Effect::LoadDemo(n) => {
            let cmd = ops::demo::LoadDemo { seed: 2021, orgs: n, today: None };
            done(ops::demo::load(&mut Env::new(s, clock), cmd), |d| {
                format!("{}: {}", lang.pick("已载入演示数据", "demo data loaded"), d.federation)
            })
        }
    }
}

/// Everything the screens list; organizations as cached rows.
pub fn load(s: &mut Store) -> Data {
    Data {
        federation: s.federation(),
        orgs: s.org_rows(),
        people: s.all_readable().0,
        liaisons: s.all_readable().0,
        venues: s.all_readable().0,
        bookings: s.all_readable().0,
        trainings: s.all_readable().0,
        attendance: s.all_readable().0,
        activities: s.activity_rows(),
        work_reports: s.work_reports(),
        major_rule: s.major_rule(),
        projects: s.all_readable().0,
        honours: s.all_readable().0,
        evaluation: s.evaluation_settings(),
        report: None,
        documents: s.documents(),
        peers: crate::sync::status(s.dir()).unwrap_or_default(),
        network: Some(Arc::new(network(s))),
        lan: crate::sync::discovery::load_seen(s.dir()),
        conflicted: s.conflicted(),
    }
}

/// The report as of today; its labels follow the UI's language when drawn.
pub fn report(s: &mut Store, today: chrono::NaiveDate, _lang: Lang) -> Arc<Report> {
    s.report(today).0
}

/// The network as `hubsync network` shows it, by the store's clock, for
/// the sync tab and a hub's lists.
fn network(s: &Store) -> ops::network::Network {
    let peers = crate::sync::Peers::load(s.dir()).map(|p| p.peers).unwrap_or_default();
    ops::network::build(s, &peers, s.clock().now(), ops::network::DEFAULT_STALE_DAYS)
}

/// The invitation popup: the long code to copy, the QR code to scan, and
/// beside it the short code and address to read aloud over the phone.
pub fn invite_text(invited: &ops::peers::Invited) -> String {
    let code = invited.code.clone().unwrap_or_default();
    let short = invited.short.clone().unwrap_or_default();
    let side = [
        "短码 short code:".to_string(),
        short,
        String::new(),
        "地址 address:".to_string(),
        invited.addr.clone(),
        String::new(),
        format!("{} 分钟内有效", crate::sync::short::MINUTES),
        format!("valid {} minutes,", crate::sync::short::MINUTES),
        format!("错 {} 次作废", crate::sync::short::MAX_FAILURES),
        format!("void after {} wrong", crate::sync::short::MAX_FAILURES),
    ];
    let Ok(qr) = crate::sync::invite::qr_text(&code) else {
        return format!("{code}\n\n{}", side.join("\n"));
    };
    let rows: Vec<String> =
        qr.lines().enumerate().map(|(i, row)| format!("{row}  {}", side.get(i).map_or("", String::as_str))).collect();
    format!("{code}\n\n{}", rows.join("\n"))
}
