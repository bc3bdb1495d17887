//! Pictures in the Word files: an SVG beside the Markdown (the self-assessment's maturity
//! chart) is drawn as a PNG, in pure Rust with resvg, since Word and LibreOffice do not
//! all show SVG and python-docx readers expect a raster.
//!
//! The text of a chart is set in Liberation Sans, embedded in the program, and never in
//! a font of the machine: the same SVG gives the same PNG bytes everywhere, which keeps
//! the Word files reproducible. resvg would otherwise look the `font-family` up among the
//! system fonts, which differ from one machine to the next.

use resvg::{tiny_skia, usvg};

/// The font every chart is drawn with (SIL Open Font License 1.1, see `fonts/`).
const FONT: &[u8] = include_bytes!("fonts/LiberationSans-Regular.ttf");
const FONT_FAMILY: &str = "Liberation Sans";

/// Pictures are drawn at twice their CSS size, so they stay sharp in print.
const SCALE: f32 = 2.0;
/// An SVG larger than this (in CSS pixels, either way) is not drawn: a hand-edited
/// size must not make the Word step allocate gigabytes.
const LARGEST: f32 = 4000.0;

/// A picture ready for Word: PNG bytes and the size to show it at, in CSS pixels
/// (96 to the inch, which is what docx-rs expects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Picture {
    pub(super) png: Vec<u8>,
    pub(super) width_px: u32,
    pub(super) height_px: u32,
}

/// The PNG of an SVG, or why not (the caller shows the alt text instead).
pub(super) fn svg_to_png(svg: &[u8]) -> Result<Picture, String> {
    let mut options = usvg::Options { font_family: FONT_FAMILY.to_owned(), ..usvg::Options::default() };
    {
        let fonts = options.fontdb_mut();
        fonts.load_font_data(FONT.to_vec());
        // Every generic family (`sans-serif`, `system-ui` falls back to it) is ours.
        fonts.set_sans_serif_family(FONT_FAMILY);
        fonts.set_serif_family(FONT_FAMILY);
        fonts.set_monospace_family(FONT_FAMILY);
    }
    let tree = usvg::Tree::from_data(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size();
    if !(size.width() <= LARGEST && size.height() <= LARGEST) {
        return Err(format!("the picture is too large ({} × {})", size.width(), size.height()));
    }
    let width = (size.width() * SCALE).ceil() as u32;
    let height = (size.height() * SCALE).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width.max(1), height.max(1)).ok_or("the picture has no size")?;
    // Drawn on white, as on the page: every pixel is opaque, so the PNG needs no alpha
    // channel and the premultiplied colours are the colours.
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(SCALE, SCALE), &mut pixmap.as_mut());
    let png = encode_rgb(pixmap.width(), pixmap.height(), pixmap.data()).map_err(|e| e.to_string())?;
    Ok(Picture { png, width_px: size.width().ceil() as u32, height_px: size.height().ceil() as u32 })
}

/// An opaque RGBA pixmap as an RGB PNG: a quarter fewer bytes to filter and compress
/// than tiny-skia's RGBA encoder (which also undoes premultiplied alpha first), for the
/// same picture. The `Fast` level would halve the time again but double the file.
fn encode_rgb(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(|pixel| [pixel[0], pixel[1], pixel[2]]).collect();
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(png)
}

/// A PNG as it is, with its size read from its header; `None` if it is not a PNG.
pub(super) fn png(bytes: Vec<u8>) -> Option<Picture> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    // The signature, then the IHDR chunk: length, type, width, height (big-endian).
    if !bytes.starts_with(SIGNATURE) || bytes.get(12..16) != Some(b"IHDR") {
        return None;
    }
    let number = |at: usize| bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map(u32::from_be_bytes);
    let (width_px, height_px) = (number(16)?, number(20)?);
    (width_px > 0 && height_px > 0).then_some(Picture { png: bytes, width_px, height_px })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\" \
        font-family=\"system-ui, sans-serif\"><rect width=\"60\" height=\"20\" fill=\"#9cbfe0\"/>\
        <text x=\"4\" y=\"34\" font-size=\"12\">GR1 mean 2.0</text></svg>";

    #[test]
    fn an_svg_becomes_the_same_png_every_time() {
        let first = svg_to_png(SVG.as_bytes()).expect("drawn");
        assert!(first.png.starts_with(b"\x89PNG"));
        assert_eq!((first.width_px, first.height_px), (120, 40));
        assert_eq!(svg_to_png(SVG.as_bytes()), Ok(first));
    }

    #[test]
    fn text_is_drawn_with_the_embedded_font() {
        let with_text = svg_to_png(SVG.as_bytes()).expect("drawn");
        let without = svg_to_png(SVG.replace("GR1 mean 2.0", "").as_bytes()).expect("drawn");
        assert_ne!(with_text.png, without.png, "the text left marks");
    }

    #[test]
    fn a_png_keeps_its_bytes_and_its_size() {
        let drawn = svg_to_png(SVG.as_bytes()).expect("drawn");
        let read = png(drawn.png.clone()).expect("a PNG");
        assert_eq!((read.width_px, read.height_px), (240, 80), "the drawing is at twice the size");
        assert_eq!(png(b"GIF89a".to_vec()), None);
    }

    #[test]
    fn broken_or_huge_svgs_are_refused() {
        assert!(svg_to_png(b"<svg").is_err());
        let huge = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"90000\" height=\"90000\"/>";
        assert!(svg_to_png(huge.as_bytes()).is_err());
    }
}
