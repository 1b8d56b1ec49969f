//! `import` and `export`: moving records in and out of a registry as files.
//!
//! `files` reads and writes the files, `import` and `export` talk to the registry, and
//! `compare` decides what of a record is the file's and whether the registry already holds it.

mod compare;
mod export;
mod files;
mod import;

use std::io::Write;

use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;
use tonic::transport::Channel;

use crate::error::{CliError, CliResult};

pub use export::{ExportCounts, export};
pub use files::{
    ACTOR_COLUMNS, AGREEMENT_COLUMNS, PAIRING_COLUMNS, Record, parse_line, read_csv, read_jsonl, read_utf8,
};
pub use import::{ImportSummary, Outcome, import_all, import_record};

type Registry = RegistryServiceClient<Channel>;

/// `eastwest import FILE`.
pub async fn import_command(mut client: Registry, args: crate::cli::ImportArgs) -> CliResult {
    use crate::cli::ImportFormat;
    let format = args.format.unwrap_or_else(|| {
        if args.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            ImportFormat::Csv
        } else {
            ImportFormat::Jsonl
        }
    });
    let records = match format {
        ImportFormat::Csv => read_csv(&args.file)?,
        ImportFormat::Jsonl => read_jsonl(&read_utf8(&args.file)?),
    };
    let summary = import_all(&mut client, records).await;
    for (line, reason) in &summary.failed {
        eprintln!("{}:{line}: {reason}", args.file.display());
    }
    let nothing = if summary.created == 0 && summary.failed.is_empty() { " (nothing changed)" } else { "" };
    crate::outln!(
        "{} created, {} unchanged, {} failed{nothing}",
        summary.created,
        summary.unchanged,
        summary.failed.len()
    );
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Other(anyhow::anyhow!("{} line(s) failed; the others were imported", summary.failed.len())))
    }
}

/// `eastwest export`.
pub async fn export_command(mut client: Registry, args: crate::cli::ExportArgs) -> CliResult {
    let counts = match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))?;
            let mut out = std::io::BufWriter::new(file);
            let counts = export(&mut client, &mut out).await?;
            out.flush()?;
            counts
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match export(&mut client, &mut out).await {
                // `eastwest export | head`: the reader has what it wanted.
                Err(CliError::Other(e))
                    if e.downcast_ref::<std::io::Error>()
                        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
                {
                    return Ok(());
                }
                other => other?,
            }
        }
    };
    let ExportCounts { actors, pairings, activities, agreements } = counts;
    eprintln!("exported {actors} actors, {pairings} pairings, {activities} activities, {agreements} agreements");
    Ok(())
}
