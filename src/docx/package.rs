//! The last step of a Word file: its parts zipped into the package, with one fixed
//! timestamp and in a fixed order (`[Content_Types].xml` first, as Word expects), so
//! the same Markdown gives the same bytes.
//!
//! Every part is ours: the document, styles, numbering and settings
//! ([`super::xml`], [`super::styles`], [`super::numbering`], [`super::control`]), the
//! header and footer, the core and custom properties, and what a package needs around
//! them (content types, relationships, application properties).

use std::io::Write;

use super::xml::Relationships;

/// The parts of one Word file that differ from one document to the next.
pub(super) struct Parts {
    pub(super) document: String,
    pub(super) relationships: Relationships,
    pub(super) numbering: String,
    pub(super) header: String,
    pub(super) footer: String,
    pub(super) core: String,
    pub(super) custom: String,
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"png\" ContentType=\"image/png\"/>\
<Override PartName=\"/word/document.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/numbering.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
<Override PartName=\"/word/settings.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/header1.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/footer1.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
<Override PartName=\"/docProps/custom.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"/></Types>";

const PACKAGE_RELATIONSHIPS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" \
Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" \
Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" \
Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" \
Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" \
Target=\"docProps/app.xml\"/>\
<Relationship Id=\"rId4\" \
Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\" \
Target=\"docProps/custom.xml\"/></Relationships>";

const APPLICATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
<Application>fitsm-pack</Application></Properties>";

/// Parts smaller than this are stored, not compressed: compressing one costs a fresh
/// deflate state (hundreds of kilobytes set to zero), which for the small parts of
/// every file cost more than the rest of the package, to save a few hundred bytes each.
const COMPRESS_FROM: usize = 4096;

/// The Word file.
pub(super) fn write_package(parts: Parts, styles: &str, settings: &str) -> std::io::Result<Vec<u8>> {
    let relationships = parts.relationships.xml();
    let mut entries: Vec<(String, &[u8])> = vec![
        ("[Content_Types].xml".to_owned(), CONTENT_TYPES.as_bytes()),
        ("_rels/.rels".to_owned(), PACKAGE_RELATIONSHIPS.as_bytes()),
        ("docProps/app.xml".to_owned(), APPLICATION.as_bytes()),
        ("docProps/core.xml".to_owned(), parts.core.as_bytes()),
        ("docProps/custom.xml".to_owned(), parts.custom.as_bytes()),
        ("word/_rels/document.xml.rels".to_owned(), relationships.as_bytes()),
        ("word/document.xml".to_owned(), parts.document.as_bytes()),
        ("word/styles.xml".to_owned(), styles.as_bytes()),
        ("word/numbering.xml".to_owned(), parts.numbering.as_bytes()),
        ("word/settings.xml".to_owned(), settings.as_bytes()),
        ("word/header1.xml".to_owned(), parts.header.as_bytes()),
        ("word/footer1.xml".to_owned(), parts.footer.as_bytes()),
    ];
    for (index, png) in parts.relationships.images.iter().enumerate() {
        entries.push((format!("word/media/image{}.png", index + 1), png));
    }
    zip_entries(&entries)
}

fn zip_entries(entries: &[(String, &[u8])]) -> std::io::Result<Vec<u8>> {
    let total: usize = entries.iter().map(|(_, bytes)| bytes.len()).sum();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(total / 3)));
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .system(zip::System::Unix);
    // The fastest level: XML compresses well at any level, and the Word step should
    // cost no more than the site.
    let deflated = stored.compression_method(zip::CompressionMethod::Deflated).compression_level(Some(1));
    for (name, bytes) in entries {
        // A PNG is compressed already.
        let compress = bytes.len() >= COMPRESS_FROM && !name.ends_with(".png");
        writer.start_file(name.as_str(), if compress { deflated } else { stored }).map_err(std::io::Error::other)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixed_parts_are_well_formed() {
        for xml in [CONTENT_TYPES, PACKAGE_RELATIONSHIPS, APPLICATION] {
            assert!(roxmltree::Document::parse(xml).is_ok(), "{xml}");
        }
    }
}
