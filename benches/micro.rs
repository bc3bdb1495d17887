//! In-process micro-benchmarks: rendering the example pack, the 3-way merge of one
//! document, and Markdown → HTML and → Word of one document, side by side. Run with
//! `cargo bench --bench micro`.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use fitsm_pack::document::Document;
use fitsm_pack::docx::document_docx;
use fitsm_pack::html::markdown;
use fitsm_pack::output::merge::merge;
use fitsm_pack::pipeline::prepare;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/university-computing-centre/sms.toml");

fn benchmarks(c: &mut Criterion) {
    let config = Path::new(EXAMPLE);
    let prepared = prepare(config, None).expect("the example renders");
    let documents = prepared.rendered.documents.len();
    c.bench_function(&format!("render example pack ({documents} documents)"), |b| {
        b.iter(|| prepare(config, None).expect("renders"))
    });

    let sla = prepared
        .rendered
        .documents
        .iter()
        .find(|d| d.path.ends_with("hpc/service-level-agreement.md"))
        .map(|d| d.text.clone())
        .expect("the HPC SLA");
    let edited = sla.replacen("## 6. Responsibilities", "Agreed with the faculty.\n\n## 6. Responsibilities", 1);
    let regenerated = sla.replace("High Performance Computing Cluster", "HPC Cluster");
    c.bench_function("3-way merge of one SLA", |b| b.iter(|| merge(&sla, &edited, &regenerated)));

    let body = sla.split("\n---\n").nth(1).unwrap_or(&sla).to_owned();
    c.bench_function("Markdown to HTML of one SLA", |b| b.iter(|| markdown::render(&body)));
    // The whole Word file (control page, body, package), from the document as on disk.
    let document = Document::parse(&sla);
    c.bench_function("Markdown to Word file of one SLA", |b| {
        b.iter(|| document_docx(&document, "Northbridge", "Based on FitSM", None).expect("a Word file"))
    });
}

criterion_group!(micro, benchmarks);
criterion_main!(micro);
