//! Paths kept as the bytes the kernel gave us.
//!
//! Linux file names are bytes, not text. A [`PathBytes`] stores them faithfully: in JSON a
//! UTF-8 name is a plain string and any other name is `{"hex": "…"}`, so a baseline can name
//! `caf\xe9.php` exactly. Display is lossy (U+FFFD for invalid bytes) and never fails.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::ffi::OsStr;
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// A file path as raw bytes, ordered bytewise.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct PathBytes(Vec<u8>);

impl PathBytes {
    /// Wraps raw bytes.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> PathBytes {
        PathBytes(bytes.into())
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The path as an OS path (exact, no loss).
    pub fn as_path(&self) -> &Path {
        Path::new(OsStr::from_bytes(&self.0))
    }

    /// True when the bytes are valid UTF-8.
    pub fn is_utf8(&self) -> bool {
        std::str::from_utf8(&self.0).is_ok()
    }

    /// A lossy, printable form: invalid bytes become U+FFFD and control characters are escaped,
    /// so a file name cannot forge lines in a report.
    pub fn display(&self) -> String {
        String::from_utf8_lossy(&self.0)
            .chars()
            .flat_map(|c| {
                if c.is_control() {
                    c.escape_default().collect::<Vec<_>>()
                } else {
                    vec![c]
                }
            })
            .collect()
    }
}

impl From<&Path> for PathBytes {
    fn from(p: &Path) -> PathBytes {
        PathBytes(p.as_os_str().as_bytes().to_vec())
    }
}

impl From<PathBuf> for PathBytes {
    fn from(p: PathBuf) -> PathBytes {
        PathBytes(p.into_os_string().into_vec())
    }
}

use std::os::unix::ffi::OsStringExt;

impl fmt::Debug for PathBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.0))
    }
}

impl fmt::Display for PathBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Repr {
    Text(String),
    Raw { hex: String },
}

impl Serialize for PathBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => s.serialize_str(text),
            Err(_) => Repr::Raw {
                hex: hex::encode(&self.0),
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for PathBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PathBytes, D::Error> {
        match Repr::deserialize(d)? {
            Repr::Text(t) => Ok(PathBytes(t.into_bytes())),
            Repr::Raw { hex } => hex::decode(hex)
                .map(PathBytes)
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_round_trips_through_json() {
        let p = PathBytes::from_bytes(b"/srv/caf\xe9.php".to_vec());
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"hex":"2f7372762f636166e92e706870"}"#);
        assert_eq!(serde_json::from_str::<PathBytes>(&json).unwrap(), p);
        assert_eq!(p.display(), "/srv/caf\u{fffd}.php");
    }

    #[test]
    fn control_characters_cannot_forge_report_lines() {
        let p = PathBytes::from_bytes(b"/a\nFAKE".to_vec());
        assert_eq!(p.display(), "/a\\nFAKE");
    }
}
