//! The optional e-invoice file of an incentive invoice (rule B8; form field `file`): a PDF, an
//! OFD (China's fixed-layout e-invoice format, a ZIP container) or a scan as PNG or JPEG, at
//! most `FILE_MAX` bytes, told apart by its first bytes (never by a name or type the browser
//! sends). Kept with the invoice and served back as a download to the partner and operators.

/// The largest file kept.
pub const FILE_MAX: usize = 2 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Ofd,
    Png,
    Jpg,
}

impl FileKind {
    /// The stored spelling and the download's extension.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Ofd => "ofd",
            FileKind::Png => "png",
            FileKind::Jpg => "jpg",
        }
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        [FileKind::Pdf, FileKind::Ofd, FileKind::Png, FileKind::Jpg]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Ofd => "application/ofd",
            FileKind::Png => "image/png",
            FileKind::Jpg => "image/jpeg",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceFile {
    pub kind: FileKind,
    pub data: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    TooLarge,
    Unsupported,
}

impl FileProblem {
    pub fn key(self) -> &'static str {
        match self {
            FileProblem::TooLarge => "incentives.invoice.file_too_large",
            FileProblem::Unsupported => "incentives.invoice.file_unsupported",
        }
    }
}

/// The file as uploaded: `None` when no file was chosen (an empty part).
pub fn read(data: Vec<u8>) -> Result<Option<InvoiceFile>, FileProblem> {
    if data.is_empty() {
        return Ok(None);
    }
    if data.len() > FILE_MAX {
        return Err(FileProblem::TooLarge);
    }
    let kind = if data.starts_with(b"%PDF-") {
        FileKind::Pdf
    } else if data.starts_with(b"PK\x03\x04") {
        FileKind::Ofd
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        FileKind::Png
    } else if data.starts_with(b"\xFF\xD8\xFF") {
        FileKind::Jpg
    } else {
        return Err(FileProblem::Unsupported);
    };
    Ok(Some(InvoiceFile { kind, data }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_apart_by_their_first_bytes() {
        assert_eq!(read(Vec::new()), Ok(None));
        let pdf = read(b"%PDF-1.7 ...".to_vec()).unwrap().unwrap();
        assert_eq!(pdf.kind, FileKind::Pdf);
        assert_eq!(
            read(b"PK\x03\x04rest".to_vec()).unwrap().unwrap().kind,
            FileKind::Ofd
        );
        assert_eq!(read(b"<html>".to_vec()), Err(FileProblem::Unsupported));
        assert_eq!(read(vec![b'%'; FILE_MAX + 1]), Err(FileProblem::TooLarge));
    }
}
