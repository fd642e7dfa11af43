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
    /// 監査ログの改ざん検査 / check the audit log's hash chain
    Verify {
        #[command(flatten)]
        db: DbArgs,
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

fn base_url(file: &crate::platform::FileConfig) -> String {
    file.base_url.clone().unwrap_or_else(|| {
        format!(
            "http://{}",
            file.listen.as_deref().unwrap_or("127.0.0.1:8080")
        )
    })
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
        Users::Enable { db, email } => (db, email, true),
        Users::Disable { db, email } => (db, email, false),
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
            base_url(&file),
            c.set_password_token
        );
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

/// Runs `mamori audit verify`: exit 0 when intact, 1 naming the first broken entry.
pub fn audit(cmd: Audit) -> anyhow::Result<ExitCode> {
    let Audit::Verify { db } = cmd;
    crate::platform::runtime()?.block_on(async {
        let (svc, _) = db.services().await?;
        let r = svc.verify_audit().await?;
        match r.first_broken {
            None => {
                println!(
                    "監査ログは完全です / audit log intact: {} entries",
                    r.entries
                );
                Ok(ExitCode::SUCCESS)
            }
            Some((seq, why)) => {
                println!("監査ログの改ざんを検出 / audit log BROKEN at entry {seq}: {why}");
                Ok(ExitCode::from(1))
            }
        }
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
