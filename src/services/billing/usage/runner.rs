//! Running a usage import over a file (rule B2): on a thread of its own for an upload (the page
//! polls its progress), or at once for the command line and the benchmark. The file is read
//! through a buffer, never whole; how far the reader got is the progress bar.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use diesel::PgConnection;

use super::ImportStatus;
use crate::db::Pool;
use crate::domain::Caller;
use crate::services::{ServiceError, ServiceResult};

const BUFFER: usize = 256 * 1024;

/// A reader that counts the bytes that went through it.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicI64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as i64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Runs import `id` over the file at `path` now.
pub fn run_file(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    path: &Path,
) -> ServiceResult<ImportStatus> {
    let file = File::open(path).map_err(|e| ServiceError::internal(format!("usage file: {e}")))?;
    let read = Arc::new(AtomicI64::new(0));
    let counting = Counting {
        inner: file,
        read: read.clone(),
    };
    let input = BufReader::with_capacity(BUFFER, counting);
    super::run(conn, caller, id, input, move || {
        read.load(Ordering::Relaxed)
    })
}

/// Imports the file at `path` as a new import (the command line, benchmarks).
pub fn import_file(
    conn: &mut PgConnection,
    caller: &Caller,
    path: &Path,
) -> ServiceResult<ImportStatus> {
    let size = std::fs::metadata(path)
        .map_err(|e| ServiceError::internal(format!("usage file: {e}")))?
        .len();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("usage.csv");
    let id = super::create(conn, caller, name, i64::try_from(size).unwrap_or(i64::MAX))?;
    run_file(conn, caller, id, path)
}

/// Runs import `id` over the uploaded file at `path` on a thread of its own with a pooled
/// connection, and deletes the file when done. A failure is written to the import (and logged).
pub fn spawn(pool: Pool, caller: Caller, id: i64, path: PathBuf) {
    let spawned = std::thread::Builder::new()
        .name(format!("usage-import-{id}"))
        .spawn(move || {
            let outcome = pool
                .get()
                .map_err(|e| ServiceError::internal(format!("pool: {e}")))
                .and_then(|mut conn| match run_file(&mut conn, &caller, id, &path) {
                    Ok(done) => Ok(done),
                    Err(e) => {
                        let _ = super::fail(&mut conn, &caller, id);
                        Err(e)
                    }
                });
            if let Err(e) = outcome {
                tracing::warn!(import = id, error = %e, "usage import failed");
            }
            let _ = std::fs::remove_file(&path);
        });
    if let Err(e) = spawned {
        tracing::warn!(import = id, error = %e, "usage import thread did not start");
    }
}
