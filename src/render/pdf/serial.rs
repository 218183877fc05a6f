//! The last step of a PDF: the object graph to bytes, with every
//! dictionary in one object stream and a cross-reference stream (PDF 1.5).
//!
//! A tagged PDF is mostly hundreds of small structure dictionaries;
//! deflated together in an object stream they take a third of the room.
//! lopdf can write object streams itself, but it clones every object,
//! serialises each three times and sets up a fresh compressor per stream
//! (together more than a millisecond per PDF, a tenth of a build); here each
//! object is moved, serialised by lopdf twice, and deflated by the
//! caller's reused compressor. Streams (page content, font program,
//! ToUnicode, XMP) stay top-level objects, as the format requires.

use lopdf::{Dictionary, Object, ObjectId, ObjectStream, Stream};

/// Serialises `doc` (version, objects, trailer's `Root`/`Info`/`ID`).
/// `deflate` compresses a stream's data (`None`: leave it as it is).
/// Fails only if lopdf cannot serialise an object.
pub fn save(
    doc: lopdf::Document,
    deflate: &dyn Fn(&[u8]) -> Option<Vec<u8>>,
) -> std::result::Result<Vec<u8>, lopdf::Error> {
    let lopdf::Document {
        version,
        objects,
        trailer,
        max_id,
        ..
    } = doc;
    // Numbered past every object the graph holds, whatever `max_id` says.
    let max_id = objects.keys().map(|id| id.0).fold(max_id, u32::max);
    let mut out: Vec<u8> = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(format!("%PDF-{version}\n%\u{e2}\u{e3}\n").as_bytes());
    // Where each object is: written at an offset, or the n-th in the object stream.
    enum Entry {
        Direct(usize),
        Packed(u32),
    }
    let objstm_id = max_id + 1;
    let xref_id = max_id + 2;
    let mut entries: Vec<Option<Entry>> = (0..=xref_id).map(|_| None).collect();
    let mut packed = ObjectStream::builder()
        .max_objects(usize::MAX)
        .compression_level(0)
        .build();
    let mut direct: Vec<(ObjectId, Object)> = Vec::new();
    let mut n = 0u32;
    for (id, object) in objects {
        if id.1 == 0 && !matches!(object, Object::Stream(_)) {
            entries[id.0 as usize] = Some(Entry::Packed(n));
            n += 1;
            packed.add_object(id, object)?;
        } else {
            direct.push((id, object));
        }
    }
    for (id, object) in &direct {
        if let Some(e) = entries.get_mut(id.0 as usize) {
            *e = Some(Entry::Direct(out.len()));
        }
        write_indirect(&mut out, *id, object)?;
    }
    // The object stream: "num offset …" pairs, then the objects (lopdf
    // writes them in ID order, as numbered above).
    let content = packed.build_stream_content()?;
    let first = table_length(&content, n as usize);
    let mut dict = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"ObjStm".to_vec())),
        ("N", Object::Integer(i64::from(n))),
        ("First", Object::Integer(first as i64)),
    ]);
    let data = match deflate(&content) {
        Some(d) => {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            d
        }
        None => content,
    };
    entries[objstm_id as usize] = Some(Entry::Direct(out.len()));
    write_indirect(
        &mut out,
        (objstm_id, 0),
        &Object::Stream(Stream::new(dict, data)),
    )?;
    // The cross-reference stream: per object its type, its offset (or
    // object stream number) and its generation (or index in the object
    // stream), each field as few bytes as the largest value needs. Object 0
    // (the head of the free list) is left out (`/Index [1 n]`).
    let xref_at = out.len();
    entries[xref_id as usize] = Some(Entry::Direct(xref_at));
    let fields: Vec<(u8, u64, u64)> = entries[1..]
        .iter()
        .map(|e| match e {
            Some(Entry::Direct(offset)) => (1, *offset as u64, 0),
            Some(Entry::Packed(index)) => (2, u64::from(objstm_id), u64::from(*index)),
            None => (0, 0, 0),
        })
        .collect();
    let width = |max: u64| (1..8).find(|&n| max >> (8 * n) == 0).unwrap_or(8);
    let w2 = width(fields.iter().map(|f| f.1).max().unwrap_or(0));
    let w3 = width(fields.iter().map(|f| f.2).max().unwrap_or(0));
    let mut table = Vec::with_capacity(fields.len() * (1 + w2 + w3));
    for (kind, f2, f3) in &fields {
        table.push(*kind);
        table.extend_from_slice(&f2.to_be_bytes()[8 - w2..]);
        table.extend_from_slice(&f3.to_be_bytes()[8 - w3..]);
    }
    let mut dict = Dictionary::new();
    for key in [b"Root".as_slice(), b"Info", b"ID"] {
        if let Ok(v) = trailer.get(key) {
            dict.set(key.to_vec(), v.clone());
        }
    }
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", Object::Integer(entries.len() as i64));
    dict.set(
        "Index",
        Object::Array(vec![1.into(), (fields.len() as i64).into()]),
    );
    dict.set(
        "W",
        Object::Array(vec![1.into(), (w2 as i64).into(), (w3 as i64).into()]),
    );
    let data = match deflate(&table) {
        Some(d) => {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            d
        }
        None => table,
    };
    write_indirect(
        &mut out,
        (xref_id, 0),
        &Object::Stream(Stream::new(dict, data)),
    )?;
    out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF").as_bytes());
    Ok(out)
}

/// Length of an object stream's offset table: `n` pairs of numbers, each
/// followed by a space.
fn table_length(content: &[u8], n: usize) -> usize {
    let mut spaces = 0;
    for (i, &b) in content.iter().enumerate() {
        if b == b' ' {
            spaces += 1;
            if spaces == 2 * n {
                return i + 1;
            }
        }
    }
    0
}

/// `id gen obj … endobj`, with a stream's data after its dictionary.
fn write_indirect(
    out: &mut Vec<u8>,
    id: ObjectId,
    object: &Object,
) -> std::result::Result<(), lopdf::Error> {
    out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
    match object {
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set("Length", Object::Integer(stream.content.len() as i64));
            out.extend_from_slice(&serialise(&Object::Dictionary(dict))?);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        other => out.extend_from_slice(&serialise(other)?),
    }
    out.extend_from_slice(b"\nendobj\n");
    Ok(())
}

/// One object in PDF syntax, by lopdf (its writer is reachable only
/// through an object stream's content: "1 0 " + the object + " ").
fn serialise(object: &Object) -> std::result::Result<Vec<u8>, lopdf::Error> {
    let mut one = ObjectStream::builder()
        .max_objects(1)
        .compression_level(0)
        .build();
    one.add_object((1, 0), object.clone())?;
    let content = one.build_stream_content()?;
    let start = table_length(&content, 1);
    Ok(content[start..content.len().saturating_sub(1)].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_document_reads_back_with_every_object() {
        let mut doc = lopdf::Document::with_version("1.7");
        let pages = doc.new_object_id();
        let content = doc.add_object(Stream::new(Dictionary::new(), b"BT ET".to_vec()));
        let page = doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages)),
            ("Contents", Object::Reference(content)),
            (
                "MediaBox",
                Object::Array(vec![0.into(), 0.into(), 100.into(), 100.into()]),
            ),
        ]));
        doc.objects.insert(
            pages,
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Kids", Object::Array(vec![Object::Reference(page)])),
                ("Count", Object::Integer(1)),
            ])),
        );
        let catalog = doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages)),
            ("Lang", Object::string_literal("ja")),
        ]));
        doc.trailer.set("Root", Object::Reference(catalog));
        let deflate = |_: &[u8]| None;
        let bytes = save(doc, &deflate).expect("saved");
        let back = lopdf::Document::load_mem(&bytes).expect("reads back");
        assert_eq!(back.get_pages().len(), 1);
        let cat = back.catalog().expect("catalog");
        assert_eq!(
            cat.get(b"Lang").and_then(Object::as_str).ok(),
            Some(b"ja".as_slice())
        );
        let page_id = *back.get_pages().values().next().expect("a page");
        assert_eq!(back.get_page_content(page_id).trim_ascii_end(), b"BT ET");
        assert!(bytes.ends_with(b"%%EOF"));
    }
}
