//! Every log parser on arbitrary bytes: no panic, whatever the input. The first byte
//! picks the format so one corpus exercises all of them; the message parsers behind
//! syslog (sshd, PAM, mail, FTP, Webmin) also get the bytes directly, since random
//! input rarely forms a valid syslog header in front of them. The journal's JSON export
//! (`journalctl -o json`) and the time stamps of journalctl's short outputs also get
//! the bytes directly; syslog lines without a time stamp are reached through
//! `Format::Syslog` (any `host prog[pid]: ` in front).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_detect::format::{
    Format, ParseContext, ftp, journal, mail, pam, parse_line, sshd, webadmin,
};
use mamori_detect::timefmt;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, line)) = data.split_first() else { return };
    let format = Format::ALL[usize::from(pick) % Format::ALL.len()];
    let ctx = ParseContext::default();
    let _ = parse_line(format, line, &ctx);
    let _ = mamori_detect::format::detect(line, &ctx);
    let _ = sshd::parse(0, line);
    let _ = pam::parse(0, line);
    let _ = mail::dovecot(0, line);
    let _ = mail::postfix(0, line);
    let _ = mail::exim(0, line);
    let _ = ftp::vsftpd(0, line);
    let _ = ftp::proftpd(0, line);
    let _ = ftp::pure_ftpd(0, line);
    let _ = ftp::wu_ftpd(0, line);
    let _ = webadmin::webmin(0, line);
    let _ = sshd::connection_from(line);
    let _ = mamori_detect::format::syslog::sshd_connection(line, &ctx.syslog);
    let _ = journal::parse(line);
    let _ = journal::process_key(line);
    let _ = mamori_detect::format::process_key(format, line, &ctx);
    let _ = timefmt::parse_unix(line);
    let _ = timefmt::parse_short_full(line, 0);
    let _ = timefmt::parse_tai64n(line);
});
