//! The last step of a PDF: the object graph to bytes, with every
//! dictionary in one object stream and a cross-reference stream (PDF 1.5).
//!
//! A tagged PDF is mostly hundreds of small structure dictionaries;
//! deflated together in an object stream they take a third of the room.
//! lopdf can write object streams itself, but it clones every object,
//! serialises each three times and sets up a fresh compressor per stream
//! (together more than a millisecond per PDF, a tenth of a build); here each
//! object is serialised once, straight into the output, and deflated by
//! the caller's reused compressor. The syntax is lopdf's writer's, byte for
//! byte (`write_object`; a test compares the two), without its `dyn Write`
//! and `write!` per token. Streams (page content, font program, ToUnicode,
//! XMP) stay top-level objects, as the format requires.

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

/// The objects written directly (streams), by ID.
pub type Direct = [(ObjectId, Object)];

/// Serialises `doc` (version, objects, trailer's `Root`/`Info`/`ID`).
/// `packed` are more objects (generation 0, no streams), already in PDF
/// syntax: they go into the object stream with the document's own, in ID
/// order. `deflate` compresses a stream's data (`None`: leave it as it is).
/// `complete` gets the streams, by ID, once the object stream is made and
/// before anything is written after the header: the last moment to fill
/// in a stream's data (the font program, which another thread may still
/// be making: the object stream's deflate is done meanwhile). Its error
/// is the result.
pub fn save<E>(
    doc: lopdf::Document,
    packed: Vec<(u32, Vec<u8>)>,
    deflate: &dyn Fn(&[u8]) -> Option<Vec<u8>>,
    complete: &mut dyn FnMut(&mut Direct) -> Result<(), E>,
) -> Result<Vec<u8>, E> {
    let lopdf::Document {
        version,
        objects: objects_map,
        trailer,
        max_id,
        ..
    } = doc;
    // Numbered past every object the graph holds, whatever `max_id` says.
    let max_id = objects_map
        .keys()
        .map(|id| id.0)
        .chain(packed.iter().map(|(id, _)| *id))
        .fold(max_id, u32::max);
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
    // The object stream: "num offset …" pairs, then the objects, each
    // followed by a space, in ID order.
    let mut table: Vec<u8> = Vec::new();
    let mut objects: Vec<u8> = Vec::with_capacity(32 * 1024);
    let mut direct: Vec<(ObjectId, Object)> = Vec::new();
    let mut n = 0u32;
    let mut pack = |id: u32, write: &mut dyn FnMut(&mut Vec<u8>)| {
        entries[id as usize] = Some(Entry::Packed(n));
        n += 1;
        write_int(&mut table, i64::from(id));
        table.push(b' ');
        write_int(&mut table, objects.len() as i64);
        table.push(b' ');
        write(&mut objects);
        objects.push(b' ');
    };
    debug_assert!(
        packed.windows(2).all(|w| w[0].0 < w[1].0)
            && packed
                .iter()
                .all(|(id, _)| *id > 0 && !objects_map.contains_key(&(*id, 0))),
        "packed objects: sorted, numbered from 1, none also in the document"
    );
    let mut packed = packed.into_iter().peekable();
    for (id, object) in objects_map {
        while let Some((p, bytes)) = packed.next_if(|(p, _)| *p < id.0) {
            pack(p, &mut |out| out.extend_from_slice(&bytes));
        }
        if id.1 == 0 && !matches!(object, Object::Stream(_)) {
            pack(id.0, &mut |out| write_object(out, &object));
        } else {
            direct.push((id, object));
        }
    }
    for (p, bytes) in packed {
        pack(p, &mut |out| out.extend_from_slice(&bytes));
    }
    let first = table.len();
    let mut content = table;
    content.extend_from_slice(&objects);
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
    complete(&mut direct)?;
    for (id, object) in &direct {
        if let Some(e) = entries.get_mut(id.0 as usize) {
            *e = Some(Entry::Direct(out.len()));
        }
        write_indirect(&mut out, *id, object);
    }
    entries[objstm_id as usize] = Some(Entry::Direct(out.len()));
    write_indirect(
        &mut out,
        (objstm_id, 0),
        &Object::Stream(Stream::new(dict, data)),
    );
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
    );
    out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF").as_bytes());
    Ok(out)
}

/// `id gen obj … endobj`, with a stream's data after its dictionary.
fn write_indirect(out: &mut Vec<u8>, id: ObjectId, object: &Object) {
    out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
    match object {
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set("Length", Object::Integer(stream.content.len() as i64));
            write_dictionary(out, &dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        other => write_object(out, other),
    }
    out.extend_from_slice(b"\nendobj\n");
}

/// One object in PDF syntax, exactly as lopdf's `Writer::write_object`
/// writes it.
pub(super) fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(true) => out.extend_from_slice(b"true"),
        Object::Boolean(false) => out.extend_from_slice(b"false"),
        Object::Integer(v) => write_int(out, *v),
        Object::Real(v) => out.extend_from_slice(v.to_string().as_bytes()),
        Object::Name(name) => write_name(out, name),
        Object::String(text, format) => write_string(out, text, *format),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_separator(item) {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => {
            write_dictionary(out, &stream.dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference(id) => write_reference(out, *id),
    }
}

/// An integer in decimal (written for every number and reference of
/// every object: without `format!`'s allocation).
pub(super) fn write_int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(decimal(v.unsigned_abs(), &mut [0; 20]));
}

/// The decimal digits of `n`, written at the end of `buf` (shared with the
/// content streams' numbers, `write::num`).
pub(super) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[at..]
}

/// `n g R`.
pub(super) fn write_reference(out: &mut Vec<u8>, id: ObjectId) {
    write_int(out, i64::from(id.0));
    out.push(b' ');
    write_int(out, i64::from(id.1));
    out.extend_from_slice(b" R");
}

/// A space goes between a key or array item and a value that would
/// otherwise run into it.
fn needs_separator(object: &Object) -> bool {
    matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    )
}

fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict {
        write_name(out, key);
        if needs_separator(value) {
            out.push(b' ');
        }
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

/// `/name`, with white space, delimiters, `#` and bytes outside `!`..`~`
/// as `#xx`.
pub(super) fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

/// A literal string with backslashes, carriage returns and unbalanced
/// parentheses escaped, or a hexadecimal one.
fn write_string(out: &mut Vec<u8>, text: &[u8], format: StringFormat) {
    match format {
        StringFormat::Literal => {
            let mut escape = Vec::new();
            let mut open = Vec::new();
            for (i, &b) in text.iter().enumerate() {
                match b {
                    b'(' => open.push(i),
                    b')' if open.pop().is_none() => escape.push(i),
                    b'\\' | b'\r' => escape.push(i),
                    _ => {}
                }
            }
            escape.extend(open);
            out.push(b'(');
            for (i, &b) in text.iter().enumerate() {
                if escape.contains(&i) {
                    out.push(b'\\');
                    out.push(if b == b'\r' { b'r' } else { b });
                } else {
                    out.push(b);
                }
            }
            out.push(b')');
        }
        StringFormat::Hexadecimal => {
            out.push(b'<');
            for &b in text {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// lopdf's own serialisation of one object, from an object stream's
    /// content ("1 0 " + the object + " ").
    fn by_lopdf(object: &Object) -> Vec<u8> {
        let mut one = lopdf::ObjectStream::builder()
            .max_objects(1)
            .compression_level(0)
            .build();
        one.add_object((1, 0), object.clone()).unwrap();
        let content = one.build_stream_content().unwrap();
        content[4..content.len() - 1].to_vec()
    }

    #[test]
    fn objects_are_written_as_lopdf_writes_them() {
        let tricky = vec![
            Object::Null,
            Object::Boolean(true),
            Object::Boolean(false),
            Object::Integer(-42),
            Object::Integer(0),
            Object::Integer(1_000_000_007),
            Object::Integer(i64::MIN),
            Object::Integer(i64::MAX),
            Object::Real(0.1),
            Object::Real(-12.5),
            Object::Real(3.0),
            Object::Name(b"A#B (c)/d%e\x7f\xe3".to_vec()),
            Object::string_literal("plain"),
            Object::String(
                b"un)balanced (paren\\s\r\n(".to_vec(),
                StringFormat::Literal,
            ),
            Object::String(vec![0, 0xfe, 0x30, 0x42], StringFormat::Hexadecimal),
            Object::Reference((12, 0)),
            Object::Reference((4_000_000, 65535)),
            Object::Array(vec![
                Object::Integer(1),
                Object::Name(b"N".to_vec()),
                Object::Integer(2),
                Object::Reference((3, 0)),
                Object::Array(vec![]),
                Object::Real(0.5),
            ]),
        ];
        let mut dict = Dictionary::new();
        for (i, o) in tricky.iter().enumerate() {
            dict.set(format!("K{i}").into_bytes(), o.clone());
        }
        let mut all = tricky.clone();
        all.push(Object::Dictionary(dict.clone()));
        all.push(Object::Array(vec![Object::Dictionary(dict), Object::Null]));
        for object in &all {
            let mut mine = Vec::new();
            write_object(&mut mine, object);
            assert_eq!(
                String::from_utf8_lossy(&mine),
                String::from_utf8_lossy(&by_lopdf(object)),
                "{object:?}"
            );
        }
    }

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
        // Objects serialised by the caller: one numbered before the
        // document's last object, one after all of them.
        let early = doc.new_object_id();
        let late = doc.max_id + 10;
        let catalog = doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages)),
            ("Lang", Object::string_literal("ja")),
            ("Early", Object::Reference(early)),
            ("Late", Object::Reference((late, 0))),
        ]));
        doc.trailer.set("Root", Object::Reference(catalog));
        let packed = vec![
            (early.0, b"<</Kind/Early>>".to_vec()),
            (late, b"[1 2 3]".to_vec()),
        ];
        let deflate = |_: &[u8]| None;
        let bytes = save(doc, packed, &deflate, &mut |_| Ok::<_, ()>(())).expect("saved");
        let back = lopdf::Document::load_mem(&bytes).expect("reads back");
        let got = |key: &[u8]| {
            let id = back
                .catalog()
                .unwrap()
                .get(key)
                .unwrap()
                .as_reference()
                .unwrap();
            back.get_object(id).unwrap().clone()
        };
        assert_eq!(
            got(b"Early")
                .as_dict()
                .unwrap()
                .get(b"Kind")
                .unwrap()
                .as_name()
                .unwrap(),
            b"Early"
        );
        assert_eq!(got(b"Late").as_array().unwrap().len(), 3);
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
