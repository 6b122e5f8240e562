//! Criteria files built from structured input, so most are well-formed TOML with the right keys
//! and validation and scoring get exercised deeply: ids from small sets (so references and
//! duplicates happen), numbers from small values and boundaries, any text.
#![no_main]

mod common;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use toml::{Table, Value};

#[derive(Arbitrary, Debug)]
enum Num {
    Absent,
    Small(u8),
    Boundary(u8),
    Any(u32),
}

impl Num {
    fn insert(&self, table: &mut Table, key: &str) {
        let value: i64 = match *self {
            Num::Absent => return,
            Num::Small(n) => i64::from(n % 8),
            Num::Boundary(n) => [0, 1, 39, 40, 99, 100, 101, 999, 1000, 1001][usize::from(n) % 10],
            Num::Any(n) => i64::from(n),
        };
        table.insert(key.into(), Value::Integer(value));
    }
}

#[derive(Arbitrary, Debug)]
struct Dimension {
    id: u8,
    title: String,
    description: Option<String>,
    weight: Num,
}

#[derive(Arbitrary, Debug)]
struct AnswerOption {
    id: u8,
    label: String,
    points: Num,
    holder: Option<u8>,
    unsure: bool,
}

#[derive(Arbitrary, Debug)]
struct Question {
    id: u8,
    dimension: u8,
    text: String,
    help: Option<String>,
    control_point: Option<String>,
    find_out: Option<String>,
    weight: Num,
    changed_in: Num,
    show_if: Option<(u8, u8, Vec<u8>)>,
    first: AnswerOption,
    second: AnswerOption,
    more: Vec<AnswerOption>,
}

#[derive(Arbitrary, Debug)]
struct Band {
    id: u8,
    min: Num,
    max: Num,
    title: String,
    summary: String,
    next_steps: Vec<String>,
}

/// Bands that tile 0 to 100 at these cut points (mostly), or anything.
#[derive(Arbitrary, Debug)]
enum Bands {
    Tiled(Vec<(u8, String, String, Vec<String>)>, String, String),
    Raw(Vec<Band>),
}

#[derive(Arbitrary, Debug)]
struct Criteria {
    id: u8,
    version: u8,
    title: String,
    intro: Option<String>,
    first_dimension: Dimension,
    dimensions: Vec<Dimension>,
    first_question: Question,
    questions: Vec<Question>,
    bands: Bands,
}

fn id(prefix: &str, n: u8) -> Value {
    Value::String(format!("{prefix}{}", n % 6))
}

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// Text that validation accepts as not empty, whatever else it holds.
fn shown(s: &str) -> Value {
    if s.trim().is_empty() {
        Value::String(format!("t{s}"))
    } else {
        text(s)
    }
}

fn option_table(o: &AnswerOption, index: usize) -> Value {
    let mut t = Table::new();
    // Mostly distinct ids; sometimes a repeat.
    let n = if o.id < 200 { index as u8 } else { o.id };
    t.insert("id".into(), id("o", n));
    t.insert("label".into(), shown(&o.label));
    if !o.unsure || o.id.is_multiple_of(16) {
        o.points.insert(&mut t, "points");
        if let Some(holder) = o.holder {
            let name = ["you", "shared", "platform", "nobody"]
                [usize::from(holder) % 4 % (if holder == 255 { 4 } else { 3 })];
            t.insert("holder".into(), text(name));
        }
    }
    if o.unsure {
        t.insert("unsure".into(), Value::Boolean(true));
    }
    Value::Table(t)
}

fn question_table(q: &Question, index: usize, dimensions: usize) -> Value {
    let mut t = Table::new();
    let n = if q.id < 200 { index as u8 } else { q.id };
    t.insert("id".into(), id("q", n));
    t.insert(
        "dimension".into(),
        id("d", q.dimension % dimensions.max(1) as u8),
    );
    t.insert("text".into(), shown(&q.text));
    for (key, value) in [
        ("help", &q.help),
        ("control_point", &q.control_point),
        ("find_out", &q.find_out),
    ] {
        if let Some(value) = value {
            t.insert(key.into(), text(value));
        }
    }
    q.weight.insert(&mut t, "weight");
    q.changed_in.insert(&mut t, "changed_in");
    if let Some((question, option, more)) = &q.show_if {
        // Mostly an earlier question and its options.
        let target = if index > 0 && *question < 200 {
            *question % index as u8
        } else {
            *question
        };
        let mut condition = Table::new();
        condition.insert("question".into(), id("q", target));
        let mut answers = vec![id("o", *option % 2)];
        answers.extend(more.iter().map(|a| id("o", *a)));
        condition.insert("answers".into(), Value::Array(answers));
        t.insert("show_if".into(), Value::Table(condition));
    }
    let options = [&q.first, &q.second]
        .into_iter()
        .chain(&q.more)
        .enumerate()
        .map(|(i, o)| option_table(o, i));
    t.insert("options".into(), Value::Array(options.collect()));
    Value::Table(t)
}

fn toml_of(c: &Criteria) -> String {
    let mut root = Table::new();
    root.insert("id".into(), id("c", c.id));
    let version = if c.version == 255 {
        0
    } else {
        1 + c.version % 3
    };
    root.insert("version".into(), Value::Integer(i64::from(version)));
    root.insert("title".into(), shown(&c.title));
    if let Some(intro) = &c.intro {
        root.insert("intro".into(), text(intro));
    }
    let all_dimensions: Vec<&Dimension> = std::iter::once(&c.first_dimension)
        .chain(&c.dimensions)
        .collect();
    let dimensions = all_dimensions.iter().enumerate().map(|(i, d)| {
        let mut t = Table::new();
        let n = if d.id < 200 { i as u8 } else { d.id };
        t.insert("id".into(), id("d", n));
        t.insert("title".into(), shown(&d.title));
        if let Some(description) = &d.description {
            t.insert("description".into(), text(description));
        }
        d.weight.insert(&mut t, "weight");
        Value::Table(t)
    });
    root.insert("dimensions".into(), Value::Array(dimensions.collect()));
    let questions = std::iter::once(&c.first_question)
        .chain(&c.questions)
        .enumerate()
        .map(|(i, q)| question_table(q, i, all_dimensions.len()));
    root.insert("questions".into(), Value::Array(questions.collect()));
    let bands: Vec<Value> = match &c.bands {
        Bands::Tiled(cuts, title, summary) => {
            let mut cuts: Vec<u8> = cuts.iter().map(|(cut, ..)| cut % 100).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let mut min = 0u32;
            let mut bands = Vec::new();
            for (i, &cut) in cuts.iter().chain(&[100]).enumerate() {
                let max = u32::from(cut);
                if max < min {
                    continue;
                }
                let (t, s, steps) = cuts
                    .get(i)
                    .and_then(|_| c_band_text(&c.bands, i))
                    .unwrap_or((title, summary, &[][..]));
                let mut band = Table::new();
                band.insert("id".into(), Value::String(format!("b{i}")));
                band.insert("min".into(), Value::Integer(i64::from(min)));
                band.insert("max".into(), Value::Integer(i64::from(max)));
                band.insert("title".into(), shown(t));
                band.insert("summary".into(), shown(s));
                band.insert(
                    "next_steps".into(),
                    Value::Array(steps.iter().map(|s| text(s)).collect()),
                );
                bands.push(Value::Table(band));
                min = max + 1;
            }
            bands
        }
        Bands::Raw(raw) => raw
            .iter()
            .map(|b| {
                let mut t = Table::new();
                t.insert("id".into(), id("b", b.id));
                b.min.insert(&mut t, "min");
                b.max.insert(&mut t, "max");
                t.insert("title".into(), text(&b.title));
                t.insert("summary".into(), text(&b.summary));
                let steps = b.next_steps.iter().map(|s| text(s)).collect();
                t.insert("next_steps".into(), Value::Array(steps));
                Value::Table(t)
            })
            .collect(),
    };
    root.insert("bands".into(), Value::Array(bands));
    toml::to_string(&root).expect("a table serialises")
}

/// The texts of the `i`th tiled band.
fn c_band_text(bands: &Bands, i: usize) -> Option<(&String, &String, &[String])> {
    match bands {
        Bands::Tiled(cuts, ..) => cuts.get(i).map(|(_, t, s, steps)| (t, s, steps.as_slice())),
        Bands::Raw(_) => None,
    }
}

fuzz_target!(|criteria: Criteria| {
    let text = toml_of(&criteria);
    common::check_criteria_text(&text);
});
