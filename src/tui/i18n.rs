//! Every UI string, Chinese (default) and English, in one place.

/// The UI's strings are `domain::Text`s; `T` is its short name in these tables.
pub use crate::domain::text::Text as T;

pub const APP: T = T("hubsync 联合会台账", "hubsync federation records");
pub const TAB_ORGS: T = T("组织", "Organizations");
pub const TAB_PEOPLE: T = T("人员/联络", "People & liaisons");
pub const TAB_VENUES: T = T("场地", "Venues");
pub const TAB_TRAININGS: T = T("培训", "Trainings");
pub const TAB_SYNC: T = T("同步", "Sync");
pub const TAB_REPORTS: T = T("统计", "Reports");
pub const TAB_ACTIVITIES: T = T("活动", "Activities");
pub const TAB_PROJECTS: T = T("项目/考核", "Projects");

pub const NAME: T = T("名称", "Name");
pub const CATEGORY: T = T("类别", "Category");
pub const COMMUNITY: T = T("社区", "Community");
pub const PARTY: T = T("党组织", "Party");
pub const STATUS: T = T("状态", "Status");
pub const PHONE: T = T("电话", "Phone");
pub const ROLES: T = T("角色", "Roles");
pub const ORGANIZATION: T = T("组织", "Organization");
pub const DETAIL: T = T("详情", "Details");
pub const FILTER: T = T("筛选", "Filter");
pub const SHOWN: T = T("显示", "shown");
pub const SORTED: T = T("排序", "order");
pub const SORT_DIVISION: T = T("区划", "division");
pub const SORT_STORED: T = T("录入顺序", "as entered");
pub const LOADING: T = T("正在读取…", "Loading…");
pub const NO_FEDERATION: T = T("尚未创建联合会", "No federation yet");
pub const NODE: T = T("本机", "This node");
pub const SYNC_IDLE: T = T("离线", "offline");
pub const SYNC_LISTENING: T = T("在线", "online");
pub const SYNC_RUNNING: T = T("同步中…", "syncing…");
pub const SYNC_DONE: T = T("已同步", "synced");
pub const SYNC_FAILED: T = T("个对等方同步失败", "peer(s) failed");
pub const SYNC_NO_PEERS: T = T("无对等方", "no peers");
pub const SYNC_NEW_CHANGES: T = T("条新修改", "new changes");
pub const LISTENING_ON: T = T("监听", "listening on");

pub const FORM_NEW_ORG: T = T("新增组织", "New organization");
pub const FORM_EDIT_ORG: T = T("修改组织", "Edit organization");
pub const FORM_NEW_PERSON: T = T("新增人员", "New person");
pub const FORM_EDIT_PERSON: T = T("修改人员", "Edit person");
pub const FORM_EDIT_VENUE: T = T("修改场地", "Edit venue");
pub const FORM_EDIT_BOOKING: T = T("修改预约", "Edit booking");
pub const FORM_EDIT_TRAINING: T = T("修改培训", "Edit training");
pub const FORM_ASSIGN: T = T("选派党建工作指导员/联络员", "Dispatch an instructor or liaison");
pub const FORM_END_ASSIGNMENT: T = T("结束选派", "End an assignment");
pub const FIELD_PERSON: T = T("人员", "Person");
pub const FIELD_ROLE: T = T("选派类型", "Role");
pub const FIELD_DISPATCHED_BY: T = T("选派单位", "Dispatched by");
pub const FIELD_FROM: T = T("开始日期", "From");
pub const FIELD_TO: T = T("结束日期", "Until");
pub const FIELD_ASSIGNMENT: T = T("选派到", "Assignment");
pub const FIELD_EXPECTED: T = T("预计人数", "Expected");
pub const FIELD_AUDIENCE: T = T("对象", "Audience");
pub const END_BEFORE_FROM: T = T("结束日期早于开始日期", "Ends before it starts");
pub const NO_ORG_NAMED: T = T("找不到该组织(请输入完整名称)", "No organization by that name (type the full name)");
pub const MANY_ORGS_NAMED: T = T("有多个组织匹配,请输入完整名称", "Several organizations match; type the full name");
pub const NO_ACTIVE_ASSIGNMENT: T = T("此人没有进行中的选派", "This person has no current assignment");
pub const NO_CANDIDATES: T =
    T("还没有指导员或联络员:先在人员页新增并勾选角色", "No instructors or liaisons yet: add a person with that role");
pub const FORM_NEW_FED: T = T("创建联合会", "Create federation");
pub const FORM_EXIT: T = T("组织退出(记录保留)", "Exit organization (record kept)");
pub const FORM_HINT: T =
    T("Tab/↑↓ 切换字段  ←→ 选择选项  F2 保存  Esc 取消", "Tab/↑↓ field  ←→ choose option  F2 save  Esc cancel");
pub const MULTI_HINT: T = T("←→ 移动  空格 勾选", "←→ move  Space tick");
pub const FORM_NEW_VENUE: T = T("新增场地", "New venue");
pub const FORM_NEW_BOOKING: T = T("预约场地", "Book the venue");
pub const FORM_NEW_TRAINING: T = T("新增培训", "New training");
pub const FORM_NEW_SESSION: T = T("增加课次", "New session");
pub const FORM_NEW_PEER: T = T("添加对等方", "Add a peer");
pub const FORM_NEW_INVITE: T = T("生成邀请码", "Create an invitation code");
pub const FIELD_START: T = T("开始", "Start");
pub const FIELD_END: T = T("结束", "End");
pub const FIELD_PURPOSE: T = T("用途", "Purpose");
pub const FIELD_FORMAT: T = T("形式", "Format");
pub const FIELD_TOPICS: T = T("主题", "Topics");
pub const FIELD_TRAINER: T = T("授课人", "Trainer");
pub const FIELD_NODE_ID: T = T("节点编号", "Node id");
pub const FIELD_ADDR: T = T("地址 HOST:PORT", "Address HOST:PORT");
pub const FIELD_WRITE: T = T("可写", "May write");
pub const END_AFTER_START: T = T("结束时间应晚于开始时间", "End must be after start");
pub const ADDR_FORMAT: T = T("地址应为 HOST:PORT", "Address must be HOST:PORT");
pub const INVITE_CODE: T =
    T("邀请码(一次有效,对方运行 hubsync join 邀请码)", "Invitation code (works once: hubsync join CODE)");
pub const SYNCING: T = T("正在同步…", "Syncing…");
pub const CANCEL_BOOKING: T = T("取消哪一个冲突的预约?", "Cancel which overlapping booking?");
pub const CANCEL_HINT: T = T(
    "输入日期/用途/组织筛选 · ↑↓ 选择要取消的预约 · Enter 取消它 · Esc 返回",
    "Type a date, purpose or organization · ↑↓ choose the booking to cancel · Enter cancels it · Esc back",
);
pub const PICK_BOOKING: T = T("修改哪一个预约?", "Edit which booking?");
pub const PICK_BOOKING_HINT: T = T(
    "输入日期/用途/组织筛选 · ↑↓ 选择 · Enter 修改 · Esc 返回",
    "Type a date, purpose or organization · ↑↓ choose · Enter edit · Esc back",
);
pub const NO_BOOKINGS_WEEK: T = T("这一周没有预约", "No bookings this week");
pub const PICK_SESSION: T = T("为哪一课次签到?", "Sign in to which session?");
pub const NO_CONFLICT_HERE: T = T("此场地没有冲突的预约", "No overlapping bookings at this venue");
pub const FIELD_DATE: T = T("日期", "Date");
pub const FIELD_REASON: T = T("原因", "Reason");
pub const FIELD_LEVEL: T = T("层级", "Level");
pub const FIELD_DIVISION: T = T("行政区划代码", "Division code");
pub const REQUIRED: T = T("必填", "required");
pub const SAVED: T = T("已保存", "Saved");
pub const EXITED: T = T("组织已退出,记录保留", "Organization exited; record kept");
pub const CONFIRM_EXIT_TITLE: T = T("确认组织退出", "Confirm the exit");
pub const CONFIRM_EXIT: T = T("确认让以下组织退出?记录会保留。", "Exit this organization? Its record is kept.");
pub const CONFIRM_EXIT_KEYS: T = T("Enter/F2 确认退出 · Esc 返回修改", "Enter/F2 exit it · Esc back to the form");
pub const CONFIRM_QUIT: T =
    T("表单未保存,确定退出吗? Enter 退出 / Esc 返回", "The form is unsaved. Quit anyway? Enter quit / Esc back");
pub const CONFIRM_DISCARD: T = T(
    "表单里有输入的内容,放弃吗? Enter 放弃 / Esc 返回表单",
    "The form has typed data. Discard it? Enter discard / Esc back to the form",
);
pub const DISCARDED: T = T("已放弃未保存的表单", "Unsaved form discarded");
pub const FORM_WALK_IN: T = T("现场登记并签到", "Walk-in: add and sign in");
pub const FIELD_PHONE: T = T("联系电话", "Phone");
pub const ALREADY_SIGNED_IN: T = T("已签到,未重复签到", "is already signed in; not signed in again");
pub const WALK_IN_HINT: T =
    T("名单中没有此人:Enter 现场登记并签到", "Not on the roster: Enter adds a walk-in and signs them in");
pub const REGISTERED: T = T("已报名", "registered");
pub const PHONE_TAIL: T = T("尾号", "…");
pub const QUIT_WITH_F10: T = T(
    "请按 F10 退出(Ctrl-C 不退出,以免误按丢失输入)",
    "Press F10 to quit (Ctrl-C does not quit, so nothing typed is lost by accident)",
);
pub const PICK_FIELD_HINT: T = T("F6 从列表选择", "F6 pick from the list");
pub const PICK_HINT: T = T(
    "输入姓名或拼音首字母筛选 · ↑↓ 选择 · Enter 确定 · Esc 返回",
    "Type a name or pinyin initials · ↑↓ choose · Enter pick · Esc back",
);
pub const FIX_FIELDS: T = T("请修正标红的字段", "Please fix the fields marked in red");

pub const SETUP_TITLE: T = T("欢迎使用 hubsync", "Welcome to hubsync");
pub const SETUP_BODY: T = T("此数据目录还没有联合会。请选择:", "This data directory has no federation yet. Choose:");
pub const SETUP_CREATE: T = T("创建我的联合会", "Create my federation");
pub const SETUP_DEMO: T = T("载入演示数据(1000个组织)", "Load demo data (1,000 organizations)");
pub const DEMO_LOADING: T = T("正在生成演示数据…", "Generating demo data…");

pub const COVERAGE_VIEW: T = T("未覆盖党的工作的组织", "Organizations without Party-building coverage");
pub const ASSIGN_HINT: T = T("Enter 选派指导员/联络员", "Enter assign an instructor/liaison");
pub const ASSIGN_TITLE: T = T("选派给", "Assign to");
pub const ASSIGNED: T = T("已选派", "Assigned");
pub const CONFLICTS: T = T("并发修改冲突", "Conflicting edits");
pub const NO_CONFLICTS: T = T("此记录没有冲突", "No conflicts on this record");
pub const FIELD_VENUE: T = T("场地", "Venue");
pub const NO_VENUE_NAMED: T =
    T("没有这个名称的场地 (按 F6 从列表选择)", "No venue of that name (F6 picks from the list)");
pub const MANY_VENUES_NAMED: T =
    T("有多个场地与此名称相符,请按 F6 从列表选择", "Several venues match; F6 picks one from the list");
pub const FORM_GO_TO_DATE: T = T("转到日期所在的一周", "Go to the week of a date");
pub const FORM_GRANTS: T = T("共享给对等方", "Share with a peer");
pub const NO_CONFLICTS_ANYWHERE: T = T("没有并发修改冲突", "No conflicting edits anywhere");
pub const ALL_CONFLICTS: T = T("全部并发修改冲突", "All conflicting edits");
pub const ALL_CONFLICTS_HINT: T = T(
    "输入名称或拼音首字母筛选 · Enter 转到并解决 · Esc 返回",
    "Type a name or pinyin initials · Enter go there and resolve · Esc back",
);
pub const CONFLICT_FIELDS: T = T("个字段冲突", "fields in conflict");
pub const CONFLICT_NOT_LISTED: T = T(
    "界面中没有此类记录的列表;两个值都已保留,未丢失",
    "no list here shows this kind of record; both values are kept, nothing is lost",
);
pub const CONFLICT_ELSEWHERE: T = T(
    "冲突在所属记录中: 在命令行运行 hubsync conflicts 查看,hubsync resolve 解决",
    "the conflict is in a record under this one: `hubsync conflicts` lists it, `hubsync resolve` settles it",
);
pub const CONFLICT_FROM: T = T("来自", "from");
pub const CONFLICT_CLOCK_NOTE: T =
    T("时间按写入设备自己的时钟,可能不准", "times are by the writing device's own clock, which may be wrong");
pub const CONFLICT_NO_TIME: T = T("时间未记录", "time not recorded");
pub const CONFLICT_TOTAL: T = T("冲突", "conflicts");
pub const CONFLICT_HINT: T =
    T("↑↓ 选择保留的值  Enter 确认  Esc 返回", "↑↓ choose the value to keep  Enter confirm  Esc back");
pub const WHOLE_RECORD: T = T("整条记录", "Whole record");
pub const WHOLE_RECORD_NOTE: T = T(
    "此记录被两台设备各自新建,显示的是其中一个版本;整条记录的冲突无法在此选择,其余版本保留在同步数据中。",
    "This record was created on two devices; one version is shown. A whole-record conflict cannot be settled here; the other versions stay in the synced data.",
);
pub const RESOLVED: T = T("冲突已解决", "Conflict resolved");

pub const WEEK: T = T("一周预约", "Bookings of the week");
pub const WEEKDAYS: [T; 7] =
    [T("一", "Mon"), T("二", "Tue"), T("三", "Wed"), T("四", "Thu"), T("五", "Fri"), T("六", "Sat"), T("日", "Sun")];
pub const CONFLICT_MARK: T = T("⚠ 冲突", "⚠ overlap");
pub const SESSIONS: T = T("课次", "Sessions");
pub const SIGN_IN: T =
    T("签到模式:输入姓名筛选,Enter 签到,Esc 结束", "Sign-in: type to find a person, Enter signs in, Esc ends");
pub const SIGNED_IN: T = T("已签到", "Signed in");
pub const NO_SESSION: T = T("此培训还没有课次", "This training has no sessions");

pub const SYNC_NOTE: T = T(
    "F4 添加对等方 · F12 邀请码 · F9 立即同步 · F6 联合会网络;对方的修改自动出现。",
    "F4 adds a peer · F12 makes an invitation code · F9 syncs now · F6 the network; peers' changes appear by themselves.",
);
pub const PEERS: T = T("对等方", "Peers");
pub const NO_PEERS: T = T("尚未添加对等方", "No peers yet");
pub const LAN_FOUND: T = T("局域网中已发现", "found on the LAN");
pub const LAN_NODES: T = T(
    "局域网中发现的其他节点(未添加,不被信任;核实对方后选中按 Enter 添加为对等方)",
    "Other nodes heard on the LAN (not added, not trusted; check who it is, then select it and press Enter to add it)",
);
pub const LAN_OTHER_PROTOCOL: T = T("协议版本不同,无法同步", "another protocol version: cannot sync");
pub const LAST_SYNC: T = T("上次同步", "last sync");
pub const DOCUMENTS: T = T("文档", "Documents");
pub const RECORDS: T = T("记录", "records");
pub const NETWORK: T = T("联合会网络", "Network");
pub const NETWORK_NOTE: T = T("F6 返回对等方 · ↑↓ 选择联合会", "F6 back to peers · ↑↓ choose a federation");
pub const NO_NETWORK: T = T("本节点尚未持有任何联合会的数据", "This node holds no federation's data yet");
pub const FEDERATION: T = T("联合会", "Federation");
pub const FEDERATION_SHORT: T = T("所属联合会", "Federation");
pub const LEVEL: T = T("层级", "Level");
pub const ARRIVES: T = T("来源", "Arrives");
pub const LAST_RECEIVED: T = T("最近收到", "Last change");
pub const ORGS_COUNT: T = T("组织", "Orgs");
pub const RECORDS_COUNT: T = T("记录", "Records");
pub const ARRIVES_HOME: T = T("本联合会", "ours");
pub const ARRIVES_DIRECT: T = T("直接", "direct");
pub const ARRIVES_VIA: T = T("经", "via");
pub const ARRIVES_VIA_TAIL: T = T("转发", "");
pub const NOT_RECORDED: T = T("未记录", "not recorded");
pub const STALE: T = T("久未同步", "stale");
pub const DAYS: T = T("天", "days");
pub const DAYS_AGO: T = T("天前", "days ago");
pub const FEDERATIONS_HELD: T = T("个联合会", "federations");
pub const STALE_OVER: T = T("超过 {n} 天未收到修改", "quiet over {n} days");
pub const LAST_SESSION: T = T("上次会话", "last session");

pub const TOTAL: T = T("存续组织", "Surviving organizations");
pub const COVERAGE: T = T("党建覆盖", "Party-building coverage");
pub const WORK_COVERAGE: T = T("党的工作覆盖", "work coverage");
pub const ORG_COVERAGE: T = T("党组织覆盖", "organization coverage");
pub const UNCOVERED: T = T("未覆盖", "not covered");
pub const BY_CATEGORY: T = T("按类别", "By category");
pub const BY_STATUS: T = T("按法律状态", "By legal status");
pub const BOOKING_CONFLICTS: T = T("预约冲突", "Booking conflicts");
pub const ATTENDANCE_RATE: T = T("培训出勤率", "Attendance rate");

pub const HELP_TITLE: T = T(
    "按键帮助  ↑↓ 滚动 · F2 中/英文 · Tab 消息记录 · Esc 关闭",
    "Keys  ↑↓ scroll · F2 中/English · Tab messages · Esc close",
);
pub const SCOPE_GLOBAL: T = T("任何时候", "Anywhere");
pub const SCOPE_LIST: T = T("浏览列表", "Browsing a list");
pub const SCOPE_FILTER: T = T("输入筛选", "Typing a filter");
pub const SCOPE_FORM: T = T("填写表单", "Filling in a form");
pub const SCOPE_POPUP: T = T("选择框", "Picker");
pub const SCOPE_CONFIRM: T = T("确认框/提示框", "Confirm or message box");
pub const SCOPE_SIGN_IN: T = T("签到模式", "Sign-in");
pub const SCOPE_HELP: T = T("帮助/消息记录", "Help and messages");
pub const NO_MESSAGES: T = T("还没有消息", "No messages yet");
pub const MESSAGES: T =
    T("消息记录  ↑↓ 滚动 · Tab 帮助 · Esc 关闭", "Message history  ↑↓ scroll · Tab help · Esc close");
pub const ERROR: T = T("错误", "Error");
