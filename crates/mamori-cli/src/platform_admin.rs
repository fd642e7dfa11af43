//! Console administration: `mamori orgs`, `users`, `tokens`, `audit`, `backup`,
//! `restore`. The console acts with the operator's authority (it holds the
//! database); every change still goes through the services and the audit log.

use crate::platform::DbArgs;
use anyhow::{Context, bail};
use mamori_service::authz::Caller;
use mamori_store::OrgId;
use std::path::PathBuf;
use std::process::ExitCode;

/// `mamori orgs`.
#[derive(Debug, clap::Subcommand)]
pub enum Orgs {
    /// 組織を追加 / add an organization
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// 名称 / name
        #[arg(long)]
        name: String,
        /// 種別 / kind: platform, police, police_prefectural, ipa, jpcert_cc, access_administrator, product_developer, website_operator, individual
        #[arg(long)]
        kind: String,
        /// 上位組織（名称またはID）/ parent organization (name or id)
        #[arg(long)]
        parent: Option<String>,
    },
    /// 組織の一覧 / list organizations
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// `mamori users`.
#[derive(Debug, clap::Subcommand)]
pub enum Users {
    /// 利用者を追加し、パスワード設定用リンクを表示 / add a person and print a one-time set-password link
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// 所属組織（名称またはID）/ organization (name or id)
        #[arg(long)]
        org: String,
        /// 役割 / role: reporter, body_staff, body_supervisor, coordinator, developer_contact, platform_admin
        #[arg(long)]
        role: String,
        /// メールアドレス / e-mail address
        #[arg(long)]
        email: String,
        /// 表示名 / display name [default: the e-mail's local part]
        #[arg(long)]
        name: Option<String>,
    },
    /// ログイン用の1回限りのリンクを再発行（最初の管理者のリンクをなくしたときなど。監査ログに記録）/ issue a new one-time sign-in link (e.g. the first administrator's link was lost; audited)
    Link {
        #[command(flatten)]
        db: DbArgs,
        /// メールアドレス / e-mail address
        #[arg(long)]
        email: String,
    },
    /// 利用者を有効化（長期未使用で無効化された場合など）/ re-enable a person (e.g. after inactivity)
    Enable {
        #[command(flatten)]
        db: DbArgs,
        /// メールアドレス / e-mail address
        #[arg(long)]
        email: String,
    },
    /// 利用者を無効化 / disable a person
    Disable {
        #[command(flatten)]
        db: DbArgs,
        /// メールアドレス / e-mail address
        #[arg(long)]
        email: String,
    },
    /// 個人データをJSONで出力（本人からの開示請求）/ export a person's data as JSON (a disclosure request)
    Export {
        #[command(flatten)]
        db: DbArgs,
        /// メールアドレス / e-mail address
        #[arg(long)]
        email: String,
        /// 出力ファイル（省略時は標準出力）/ output file [default: stdout]
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// 個人データを削除（無効化・仮名化。監査ログは残る）/ erase a person's data (disable, pseudonymize; the audit log stays)
    Erase {
        #[command(flatten)]
        db: DbArgs,
        /// メールアドレス / e-mail address
        #[arg(long)]
        email: String,
    },
}

/// `mamori tokens`.
#[derive(Debug, clap::Subcommand)]
pub enum Tokens {
    /// APIトークンを発行（表示は1回のみ）/ create an API token (shown once)
    Create {
        #[command(flatten)]
        db: DbArgs,
        /// 利用者のメールアドレス / the person's e-mail
        #[arg(long)]
        user: String,
        /// 用途 / label
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

/// `mamori audit`.
#[derive(Debug, clap::Subcommand)]
pub enum Audit {
    /// 監査ログの改ざん検査 / check the audit log's hash chain (and an anchor)
    Verify {
        #[command(flatten)]
        db: DbArgs,
        /// 以前に書き出したアンカーと照合 / also check an anchor written by `mamori audit anchor`
        #[arg(long)]
        anchor: Option<PathBuf>,
        /// 信頼する公開鍵（既定：データディレクトリの鍵）/ trusted public key [default: the data directory's]
        #[arg(long)]
        public_key: Option<String>,
    },
    /// チェーンの先頭を署名して書き出す（別の場所に保管）/ write the signed chain head (keep it elsewhere)
    Anchor {
        #[command(flatten)]
        db: DbArgs,
        /// 出力ファイル（省略時は標準出力）/ output file [default: stdout]
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// 定期監査レポート / periodic audit report
    Report {
        #[command(flatten)]
        db: DbArgs,
        /// 開始日（YYYY-MM-DD は日本時間の0時）/ from (YYYY-MM-DD is 00:00 JST, or RFC 3339)
        #[arg(long)]
        since: String,
        /// 終了日（含まない。既定：現在）/ until, exclusive [default: now]
        #[arg(long)]
        until: Option<String>,
        /// HTMLファイルにも出力 / also write a self-contained HTML report
        #[arg(long)]
        html: Option<PathBuf>,
        /// 表示言語 / language (ja, en)
        #[arg(long)]
        lang: Option<String>,
    },
}

/// `mamori backup` arguments.
#[derive(Debug, clap::Args)]
pub struct Backup {
    #[command(flatten)]
    db: DbArgs,
    /// 出力ファイル / output file
    #[arg(long)]
    out: PathBuf,
}

/// `mamori restore` arguments.
#[derive(Debug, clap::Args)]
pub struct Restore {
    #[command(flatten)]
    db: DbArgs,
    /// バックアップファイル / backup file made by `mamori backup`
    #[arg(long)]
    from: PathBuf,
}

async fn org_ref(svc: &mamori_service::Services, r: &str) -> anyhow::Result<OrgId> {
    let orgs = svc.orgs_for_console().await?;
    orgs.iter()
        .find(|o| o.name == r || o.id.0.to_string() == r)
        .map(|o| o.id)
        .with_context(|| format!("no organization named {r:?} (see `mamori orgs list`)"))
}

/// Runs `mamori orgs`.
pub fn orgs(cmd: Orgs) -> anyhow::Result<ExitCode> {
    crate::platform::runtime()?.block_on(async {
        match cmd {
            Orgs::Add {
                db,
                name,
                kind,
                parent,
            } => {
                let (svc, _) = db.services().await?;
                let parent = match parent {
                    Some(p) => Some(org_ref(&svc, &p).await?),
                    None => None,
                };
                let o = svc
                    .create_org(Caller::Console, &name, &kind, parent)
                    .await
                    .map_err(friendly)?;
                println!("{}\t{}\t{}", o.id.0, o.name, o.kind.as_str());
            }
            Orgs::List { db } => {
                let (svc, _) = db.services().await?;
                for o in svc.orgs_for_console().await? {
                    println!("{}\t{}\t{}", o.id.0, o.name, o.kind.as_str());
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `mamori users`.
pub fn users(cmd: Users) -> anyhow::Result<ExitCode> {
    let (db, email, enabled) = match cmd {
        Users::Add {
            db,
            org,
            role,
            email,
            name,
        } => return add_user(db, &org, &role, &email, name),
        Users::Link { db, email } => return login_link(db, &email),
        Users::Enable { db, email } => (db, email, true),
        Users::Disable { db, email } => (db, email, false),
        Users::Export { db, email, out } => return export_user(db, &email, out),
        Users::Erase { db, email } => return erase_user(db, &email),
    };
    crate::platform::runtime()?.block_on(async {
        let (svc, _) = db.services().await?;
        let u = svc
            .set_user_enabled(Caller::Console, &email, enabled)
            .await
            .map_err(friendly)?;
        println!(
            "{} {}",
            u.email,
            if enabled { "enabled" } else { "disabled" }
        );
        Ok(ExitCode::SUCCESS)
    })
}

fn add_user(
    db: DbArgs,
    org: &str,
    role: &str,
    email: &str,
    name: Option<String>,
) -> anyhow::Result<ExitCode> {
    crate::platform::runtime()?.block_on(async {
        let (svc, file) = db.services().await?;
        let org = org_ref(&svc, org).await?;
        let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_string());
        let c = svc
            .create_user(Caller::Console, org, email, &name, role)
            .await
            .map_err(friendly)?;
        println!("added {} ({})", c.user.email, c.user.role.as_str());
        println!(
            "パスワード設定用リンク（1回限り・24時間有効）/ set-password link (single use, 24 h):"
        );
        println!(
            "  {}/set-password/{}",
            file.base_url(),
            c.set_password_token
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// `mamori users link`: a new one-time sign-in link, printed as `serve` prints
/// the first one.
fn login_link(db: DbArgs, email: &str) -> anyhow::Result<ExitCode> {
    crate::platform::runtime()?.block_on(async {
        let (svc, file) = db.services().await?;
        let token = svc
            .reissue_login_link(Caller::Console, email)
            .await
            .map_err(friendly)?;
        println!(
            "初回ログイン用リンク（1回限り・24時間有効）/ one-time sign-in link (single use, 24 h):"
        );
        println!("  {}/link/{token}", file.base_url());
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `mamori tokens`.
pub fn tokens(cmd: Tokens) -> anyhow::Result<ExitCode> {
    let Tokens::Create { db, user, label } = cmd;
    crate::platform::runtime()?.block_on(async {
        let (svc, _) = db.services().await?;
        let t = svc
            .create_token_as_operator(&user, &label)
            .await
            .map_err(friendly)?;
        eprintln!("APIトークン（再表示できません）/ API token (shown only now):");
        println!("{t}");
        Ok(ExitCode::SUCCESS)
    })
}

fn export_user(db: DbArgs, email: &str, out: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    crate::platform::runtime()?.block_on(async {
        let (svc, _) = db.services().await?;
        let data = svc
            .export_personal_data_as_console(email)
            .await
            .map_err(friendly)?;
        let json = serde_json::to_string_pretty(&data)?;
        match out {
            Some(p) => {
                crate::platform::write_private(&p, &json)?;
                eprintln!("written / 出力しました: {}", p.display());
            }
            None => println!("{json}"),
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn erase_user(db: DbArgs, email: &str) -> anyhow::Result<ExitCode> {
    crate::platform::runtime()?.block_on(async {
        let (svc, _) = db.services().await?;
        let u = svc.erase_user_as_console(email).await.map_err(friendly)?;
        println!(
            "個人データを削除しました（監査ログは保存）/ erased (audit log kept): {email} → {} ({})",
            u.email, u.display_name
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// The audit anchor's signing key (`<data>/keys/audit-anchor.key`).
fn anchor_key_path(db: &DbArgs) -> PathBuf {
    db.data_dir.join("keys").join("audit-anchor.key")
}

/// Runs `mamori audit`.
pub fn audit(cmd: Audit) -> anyhow::Result<ExitCode> {
    match cmd {
        Audit::Verify {
            db,
            anchor,
            public_key,
        } => audit_verify(db, anchor, public_key),
        Audit::Anchor { db, out } => audit_anchor(db, out),
        Audit::Report {
            db,
            since,
            until,
            html,
            lang,
        } => audit_report(db, &since, until.as_deref(), html, lang.as_deref()),
    }
}

/// `mamori audit verify`: exit 0 when intact (and the anchor holds), 1 naming what broke.
fn audit_verify(
    db: DbArgs,
    anchor: Option<PathBuf>,
    public_key: Option<String>,
) -> anyhow::Result<ExitCode> {
    use mamori_service::anchor::{AnchorCheck, SignedAnchor};
    crate::platform::runtime()?.block_on(async {
        let (svc, _) = db.services().await?;
        let r = svc.verify_audit().await?;
        let mut ok = match r.first_broken {
            None => {
                println!(
                    "監査ログは完全です / audit log intact: {} entries",
                    r.entries
                );
                true
            }
            Some((seq, why)) => {
                println!("監査ログの改ざんを検出 / audit log BROKEN at entry {seq}: {why}");
                false
            }
        };
        if let Some(path) = anchor {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let signed: SignedAnchor = serde_json::from_str(&text)
                .with_context(|| format!("{} is not an audit anchor", path.display()))?;
            let pinned = match public_key {
                Some(k) => Some(crate::common::public_key(&k)?),
                None => {
                    let key = anchor_key_path(&db);
                    key.exists()
                        .then(|| mamori_integrity::seal::read_key(&key))
                        .transpose()?
                        .map(|k| k.verifying_key())
                }
            };
            let a = &signed.anchor;
            match svc.check_anchor(&signed, pinned.as_ref()).await? {
                AnchorCheck::Holds { newer } => println!(
                    "アンカー一致 / anchor holds: entry {} ({}) unchanged, {newer} newer entries",
                    a.seq, a.entry_at
                ),
                AnchorCheck::BadSignature(why) => {
                    ok = false;
                    println!("アンカーの署名が不正 / anchor signature INVALID: {why}");
                }
                AnchorCheck::Truncated { length } => {
                    ok = false;
                    println!(
                        "監査ログが切り詰められています / audit log TRUNCATED: the anchor names entry {}, the log has {length}",
                        a.seq
                    );
                }
                AnchorCheck::Rewritten => {
                    ok = false;
                    println!(
                        "監査ログが書き換えられています / audit log REWRITTEN: entry {} no longer has the anchored hash",
                        a.seq
                    );
                }
            }
        }
        Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
    })
}

/// `mamori audit anchor`.
fn audit_anchor(db: DbArgs, out: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    crate::platform::runtime()?.block_on(async {
        let (svc, _) = db.services().await?;
        let (key, created) = mamori_integrity::seal::read_or_create_key(&anchor_key_path(&db))?;
        if created {
            eprintln!(
                "署名鍵を作成しました / signing key created: {} (public {})",
                anchor_key_path(&db).display(),
                mamori_integrity::seal::public_key_string(&key.verifying_key())
            );
        }
        let signed = svc.audit_anchor(&key).await.map_err(friendly)?;
        let json = serde_json::to_string_pretty(&signed)?;
        match out {
            Some(p) => {
                std::fs::write(&p, format!("{json}\n"))
                    .with_context(|| format!("writing {}", p.display()))?;
                eprintln!(
                    "アンカーを書き出しました（別の場所に保管してください）/ anchor written (keep it elsewhere): {}",
                    p.display()
                );
            }
            None => println!("{json}"),
        }
        eprintln!(
            "entry {} hash {} at {}",
            signed.anchor.seq, signed.anchor.hash, signed.anchor.entry_at
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// `YYYY-MM-DD` (00:00 JST) or RFC 3339.
fn parse_when(s: &str) -> anyhow::Result<time::OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t);
    }
    let d = time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .with_context(|| format!("{s:?}: give a date as YYYY-MM-DD or RFC 3339"))?;
    Ok(d.midnight().assume_offset(time::macros::offset!(+9)))
}

/// `mamori audit report`.
fn audit_report(
    db: DbArgs,
    since: &str,
    until: Option<&str>,
    html: Option<PathBuf>,
    lang: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let lang = crate::lang::resolve(lang)?;
    let since = parse_when(since)?;
    let until = until
        .map(parse_when)
        .transpose()?
        .unwrap_or_else(crate::common::now);
    if until <= since {
        bail!("--until must be after --since");
    }
    crate::platform::runtime()?.block_on(async {
        let (svc, _) = db.services().await?;
        let r = svc.audit_report(since, until).await.map_err(friendly)?;
        print!("{}", crate::audit_report::text(&r, lang));
        if let Some(p) = html {
            std::fs::write(&p, crate::audit_report::html(&r, lang))
                .with_context(|| format!("writing {}", p.display()))?;
            eprintln!("HTML: {}", p.display());
        }
        Ok(if r.chain_intact {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

/// Runs `mamori backup`.
pub fn backup(args: Backup) -> anyhow::Result<ExitCode> {
    let file = args.db.file_config()?;
    if args.db.postgres_url(&file).is_some() {
        bail!(
            "backup of PostgreSQL is done with its own tools:\n  pg_dump --format=custom --file=mamori.dump DBNAME\n  pg_restore --clean --if-exists --dbname=DBNAME mamori.dump"
        );
    }
    if args.out.exists() {
        bail!("{} exists; choose a new file", args.out.display());
    }
    crate::platform::runtime()?.block_on(async {
        let store = mamori_store_sqlite::SqliteStore::open(args.db.sqlite_path()).await?;
        let out = std::path::absolute(&args.out)?;
        store.backup_to(&out).await.context("VACUUM INTO failed")?;
        println!("backup written: {}", out.display());
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `mamori restore` (stop `mamori serve` first).
pub fn restore(args: Restore) -> anyhow::Result<ExitCode> {
    let file = args.db.file_config()?;
    if args.db.postgres_url(&file).is_some() {
        bail!("restore PostgreSQL with pg_restore (see `mamori backup --help`)");
    }
    // A running server holds the data directory: replacing its database under it
    // would lose writes it acknowledged.
    let _lock = match crate::datalock::acquire(&args.db.data_dir)? {
        Ok(lock) => {
            if let Some(pid) = lock.stale_pid {
                println!(
                    "古いロック（pid {pid}、実行されていません）を引き継ぎます / stale lock of pid {pid} (not running) taken over"
                );
            }
            lock
        }
        Err(pid) => bail!(
            "mamori serve (pid {}) is running on {}; stop it before restoring / 実行中のサーバーを停止してから復元してください",
            pid.map_or_else(|| "?".to_string(), |p| p.to_string()),
            args.db.data_dir.display()
        ),
    };
    crate::platform::runtime()?.block_on(async {
        // The backup must open as a Mamori store and its audit chain must hold.
        let check = mamori_store_sqlite::SqliteStore::open(&args.from)
            .await
            .with_context(|| {
                format!("{} is not a readable Mamori database", args.from.display())
            })?;
        let report = mamori_service::audit::verify(&check).await?;
        check.close().await;
        if let Some((seq, why)) = report.first_broken {
            bail!("the backup's audit log is broken at entry {seq} ({why}); not restoring");
        }
        std::fs::create_dir_all(&args.db.data_dir)?;
        let live = args.db.sqlite_path();
        if live.exists() {
            let aside = live.with_extension(format!("db.before-restore-{}", std::process::id()));
            std::fs::rename(&live, &aside)?;
            println!("previous database kept as {}", aside.display());
        }
        for ext in ["db-wal", "db-shm"] {
            let _ = std::fs::remove_file(live.with_extension(ext));
        }
        std::fs::copy(&args.from, &live)?;
        println!(
            "restored {} entries of audit log into {}",
            report.entries,
            live.display()
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// Turns a service error into its user text and code.
pub fn friendly(e: mamori_service::ServiceError) -> anyhow::Error {
    let hint = match &e {
        mamori_service::ServiceError::PasswordRefused(r) => {
            format!(" {}", r.message(mamori_core::Lang::En))
        }
        _ => String::new(),
    };
    anyhow::anyhow!(
        "{} / {}{hint} [{}]",
        e.text().get(mamori_core::Lang::Ja),
        e.text().get(mamori_core::Lang::En),
        e.code()
    )
}
