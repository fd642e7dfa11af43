//! Material files: which files an editor may upload for a material, decided
//! by their content and not only by their name. A file is accepted only when its
//! extension names a [`FileType`] and its first bytes are that type's; HTML, SVG,
//! scripts and anything else are refused, so nothing the portal serves can run in
//! a browser. The detected type gives the `Content-Type` it is served with.

use crate::Text;
use serde::{Deserialize, Serialize};

/// The largest material file, bytes (20 MiB).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// A file kind the catalog accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    /// PDF.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// Plain UTF-8 text.
    Text,
    /// Word (`.docx`).
    Docx,
    /// Excel (`.xlsx`).
    Xlsx,
    /// PowerPoint (`.pptx`).
    Pptx,
    /// Word, Excel or PowerPoint before 2007 (`.doc`, `.xls`, `.ppt`).
    LegacyOffice,
    /// OpenDocument text (`.odt`).
    Odt,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
    /// OpenDocument presentation (`.odp`).
    Odp,
}

impl FileType {
    /// The `Content-Type` it is served with.
    pub fn media_type(self, ext: &str) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Text => "text/plain; charset=utf-8",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileType::LegacyOffice => match ext {
                "xls" => "application/vnd.ms-excel",
                "ppt" => "application/vnd.ms-powerpoint",
                _ => "application/msword",
            },
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileType::Odp => "application/vnd.oasis.opendocument.presentation",
        }
    }

    /// A short label for lists.
    pub fn label(self) -> Text {
        match self {
            FileType::Pdf => Text::new("PDF", "PDF"),
            FileType::Png | FileType::Jpeg => Text::new("画像", "Image"),
            FileType::Text => Text::new("テキスト", "Text"),
            FileType::Docx | FileType::Odt => Text::new("文書", "Document"),
            FileType::Xlsx | FileType::Ods => Text::new("表計算", "Spreadsheet"),
            FileType::Pptx | FileType::Odp => Text::new("スライド", "Slides"),
            FileType::LegacyOffice => Text::new("Office 文書", "Office document"),
        }
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FileRefusal {
    /// Empty.
    #[error("empty file")]
    Empty,
    /// Over [`MAX_FILE_BYTES`].
    #[error("file too large")]
    TooLarge,
    /// The extension is not one the catalog accepts.
    #[error("file type not accepted")]
    NotAccepted,
    /// The content is not what the extension says.
    #[error("content does not match the file name")]
    Mismatch,
}

impl FileRefusal {
    /// What the editor is told.
    pub fn text(self) -> Text {
        match self {
            FileRefusal::Empty => Text::new("ファイルが空です。", "The file is empty."),
            FileRefusal::TooLarge => Text::new(
                "ファイルが大きすぎます（20MiBまで）。",
                "The file is too large (20 MiB at most).",
            ),
            FileRefusal::NotAccepted => Text::new(
                "掲載できるのは PDF、PNG・JPEG 画像、テキスト、Office・OpenDocument 文書だけです。",
                "Only PDF, PNG or JPEG images, plain text and Office or OpenDocument files can be listed.",
            ),
            FileRefusal::Mismatch => Text::new(
                "ファイルの中身が名前（拡張子）と合いません。",
                "The file's content does not match its name (extension).",
            ),
        }
    }
}

/// The lower-cased extension of `name` (after the last dot), or "".
pub fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// An OpenDocument package stores its media type uncompressed as the first entry,
/// `mimetype`, so it stands at a fixed offset (30-byte header + 8-byte name).
fn odf_type(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.get(30..38) != Some(b"mimetype".as_slice()) {
        return None;
    }
    let rest = bytes.get(38..bytes.len().min(38 + 80))?;
    let end = rest.iter().position(|&b| b == b'P').unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Plain text: UTF-8 without NUL or other control characters (tabs and line ends
/// allowed), and not markup a browser would render if it ever sniffed it.
fn is_plain_text(bytes: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(bytes) else {
        return false;
    };
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    {
        return false;
    }
    let head: String = s
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    !(head.starts_with('<')
        || head.contains("<html")
        || head.contains("<script")
        || head.contains("<svg"))
}

/// Decides a file's type from its name and content: the extension must be one the
/// catalog accepts and the content must be of that type.
pub fn detect(name: &str, bytes: &[u8]) -> Result<FileType, FileRefusal> {
    if bytes.is_empty() {
        return Err(FileRefusal::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileRefusal::TooLarge);
    }
    let ext = extension(name);
    let (want, ok) = match ext.as_str() {
        "pdf" => (FileType::Pdf, bytes.starts_with(b"%PDF-")),
        "png" => (FileType::Png, bytes.starts_with(b"\x89PNG\r\n\x1a\n")),
        "jpg" | "jpeg" => (FileType::Jpeg, bytes.starts_with(b"\xFF\xD8\xFF")),
        "txt" => (FileType::Text, is_plain_text(bytes)),
        "docx" | "xlsx" | "pptx" => {
            let (t, dir): (FileType, &[u8]) = match ext.as_str() {
                "docx" => (FileType::Docx, b"word/"),
                "xlsx" => (FileType::Xlsx, b"xl/"),
                _ => (FileType::Pptx, b"ppt/"),
            };
            let ok = bytes.starts_with(ZIP)
                && contains(bytes, b"[Content_Types].xml")
                && contains(bytes, dir);
            (t, ok)
        }
        "odt" | "ods" | "odp" => {
            let (t, mime): (FileType, &[u8]) = match ext.as_str() {
                "odt" => (FileType::Odt, b"application/vnd.oasis.opendocument.text"),
                "ods" => (
                    FileType::Ods,
                    b"application/vnd.oasis.opendocument.spreadsheet",
                ),
                _ => (
                    FileType::Odp,
                    b"application/vnd.oasis.opendocument.presentation",
                ),
            };
            let ok = bytes.starts_with(ZIP) && odf_type(bytes) == Some(mime);
            (t, ok)
        }
        "doc" | "xls" | "ppt" => (FileType::LegacyOffice, bytes.starts_with(OLE)),
        _ => return Err(FileRefusal::NotAccepted),
    };
    if ok {
        Ok(want)
    } else {
        Err(FileRefusal::Mismatch)
    }
}

/// A material's file as the material's content records it (the bytes are stored
/// apart, under `id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialFile {
    /// The stored file's id.
    pub id: i64,
    /// Its name as uploaded (cleaned).
    pub name: String,
    /// Its detected type.
    pub file_type: FileType,
    /// The `Content-Type` it is served with.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn odf(mime: &str) -> Vec<u8> {
        let mut b = b"PK\x03\x04".to_vec();
        b.resize(30, 0);
        b.extend_from_slice(b"mimetype");
        b.extend_from_slice(mime.as_bytes());
        b.extend_from_slice(b"PK\x03\x04rest");
        b
    }

    #[test]
    fn accepts_each_type_by_content() {
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml".to_vec();
        let cases: Vec<(&str, Vec<u8>, FileType)> = vec![
            ("a.pdf", b"%PDF-1.7\n...".to_vec(), FileType::Pdf),
            ("a.PNG", b"\x89PNG\r\n\x1a\n....".to_vec(), FileType::Png),
            ("a.jpeg", b"\xFF\xD8\xFF\xE0..".to_vec(), FileType::Jpeg),
            (
                "読んでね.txt",
                "パスワードは使い回さない。\n".as_bytes().to_vec(),
                FileType::Text,
            ),
            ("a.docx", docx, FileType::Docx),
            (
                "a.odt",
                odf("application/vnd.oasis.opendocument.text"),
                FileType::Odt,
            ),
            ("a.xls", OLE.to_vec(), FileType::LegacyOffice),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(detect(name, &bytes), Ok(want), "{name}");
        }
    }

    #[test]
    fn refuses_markup_scripts_and_renamed_files() {
        assert_eq!(
            detect("a.html", b"<html></html>"),
            Err(FileRefusal::NotAccepted)
        );
        assert_eq!(
            detect("a.svg", b"<svg onload=alert(1)>"),
            Err(FileRefusal::NotAccepted)
        );
        // An HTML page renamed to .txt or .pdf is refused by its content.
        assert_eq!(
            detect("a.txt", b"  <!doctype html><script>x</script>"),
            Err(FileRefusal::Mismatch)
        );
        assert_eq!(detect("a.pdf", b"<html>%PDF-"), Err(FileRefusal::Mismatch));
        // A PNG named .jpg, a docx named .xlsx, an ODF text named .ods.
        assert_eq!(
            detect("a.jpg", b"\x89PNG\r\n\x1a\n"),
            Err(FileRefusal::Mismatch)
        );
        let docx = b"PK\x03\x04[Content_Types].xml word/".to_vec();
        assert_eq!(detect("a.xlsx", &docx), Err(FileRefusal::Mismatch));
        assert_eq!(
            detect("a.ods", &odf("application/vnd.oasis.opendocument.text")),
            Err(FileRefusal::Mismatch)
        );
        assert_eq!(detect("a.txt", b"bin\0ary"), Err(FileRefusal::Mismatch));
        assert_eq!(detect("a.pdf", b""), Err(FileRefusal::Empty));
        assert_eq!(detect("noext", b"%PDF-"), Err(FileRefusal::NotAccepted));
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert_eq!(detect("a.txt", &big), Err(FileRefusal::TooLarge));
    }
}
