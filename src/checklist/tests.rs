use super::*;

const VALID: &str = r#"
id = "demo"
version = 2
title = "Demo"
intro = "Try it."

[[dimensions]]
id = "control"
title = "Control"
weight = 2

[[dimensions]]
id = "exit"
title = "Exit"

[[questions]]
id = "hours"
dimension = "control"
text = "Who sets your hours?"
control_point = "Hours"
weight = 2
[[questions.options]]
id = "me"
label = "I do"
points = 2
holder = "you"
[[questions.options]]
id = "them"
label = "They do"
points = 0
holder = "platform"
[[questions.options]]
id = "unsure"
label = "Not sure"
unsure = true

[[questions]]
id = "apps"
dimension = "exit"
text = "How many apps?"
[[questions.options]]
id = "one"
label = "One"
[[questions.options]]
id = "many"
label = "Many"
points = 3

[[questions]]
id = "switch"
dimension = "exit"
text = "Can you switch?"
changed_in = 2
control_point = "Switching"
show_if = { question = "apps", answers = ["many"] }
[[questions.options]]
id = "yes"
label = "Yes"
points = 1
holder = "shared"
[[questions.options]]
id = "no"
label = "No"

[[bands]]
id = "low"
min = 0
max = 49
title = "Low"
summary = "Mostly theirs."

[[bands]]
id = "high"
min = 50
max = 100
title = "High"
summary = "Mostly yours."
next_steps = ["Keep it."]
"#;

fn parse_text(text: &str) -> Result<Checklist, Vec<String>> {
    let source = Source::new("content/checklists/demo.toml", text);
    parse(&source).map_err(|ds| ds.iter().map(ToString::to_string).collect())
}

/// Applies `edit` (from, to) to the valid file and expects exactly these diagnostics.
fn check_errors(from: &str, to: &str, expected: &[&str]) {
    assert!(VALID.contains(from), "fixture lacks {from:?}");
    let errors = parse_text(&VALID.replacen(from, to, 1)).unwrap_err();
    assert_eq!(errors, expected);
}

fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(q, a)| (q.to_string(), a.to_string()))
        .collect()
}

#[test]
fn valid_file_compiles() {
    let checklist = parse_text(VALID).unwrap();
    assert_eq!(checklist.questions.len(), 3);
    assert_eq!(checklist.questions[2].changed_in, 2);
    assert_eq!(checklist.questions[0].max_points(), 2);
}

#[test]
fn duplicate_ids() {
    check_errors(
        "id = \"switch\"",
        "id = \"apps\"",
        &[
            "content/checklists/demo.toml:50:6: error: duplicate question id `apps` (hint: give each question its own id)",
        ],
    );
}

#[test]
fn condition_on_itself() {
    check_errors(
        "question = \"apps\"",
        "question = \"switch\"",
        &[
            "content/checklists/demo.toml:55:24: error: question `switch` is shown on a condition about itself (hint: a condition names an earlier question)",
        ],
    );
}

#[test]
fn unknown_dimension() {
    check_errors(
        "dimension = \"exit\"\ntext = \"How",
        "dimension = \"exits\"\ntext = \"How",
        &[
            "content/checklists/demo.toml:39:13: error: question `apps` names an unknown dimension `exits` (hint: did you mean `exit`?)",
        ],
    );
}

#[test]
fn condition_on_unknown_question() {
    check_errors(
        "question = \"apps\"",
        "question = \"aps\"",
        &[
            "content/checklists/demo.toml:55:24: error: question `switch` depends on an unknown question `aps` (hint: did you mean `apps`?)",
        ],
    );
}

#[test]
fn condition_pointing_forward() {
    let text = VALID.replacen(
        "[[questions]]\nid = \"apps\"",
        "[[questions]]\nid = \"apps\"\nshow_if = { question = \"switch\", answers = [\"yes\"] }",
        1,
    );
    let errors = parse_text(&text).unwrap_err();
    assert_eq!(
        errors,
        [
            "content/checklists/demo.toml:39:24: error: question `apps` depends on `switch`, which comes after it (hint: move `switch` before `apps`, or make the condition name an earlier question)"
        ]
    );
}

#[test]
fn condition_on_unknown_option() {
    check_errors(
        "answers = [\"many\"]",
        "answers = [\"lots\"]",
        &[
            "content/checklists/demo.toml:55:43: error: `lots` is not an option of question `apps` (hint: options of `apps`: one, many)",
        ],
    );
}

#[test]
fn band_gap_and_overlap() {
    check_errors(
        "min = 50",
        "min = 55",
        &[
            "content/checklists/demo.toml:74:7: error: no band covers the scores 50 to 54 (hint: start band `high` at 50, or add a band for those scores)",
        ],
    );
    check_errors(
        "min = 50",
        "min = 40",
        &[
            "content/checklists/demo.toml:74:7: error: band `high` overlaps the band before it at 40 to 49 (hint: start band `high` at 50)",
        ],
    );
    check_errors(
        "max = 100",
        "max = 90",
        &[
            "content/checklists/demo.toml:75:7: error: no band covers the scores 91 to 100 (hint: end band `high` at 100, or add a band for those scores)",
        ],
    );
}

#[test]
fn fewer_than_two_options() {
    check_errors(
        "[[questions.options]]\nid = \"no\"\nlabel = \"No\"\n",
        "",
        &[
            "content/checklists/demo.toml:56:1: error: question `switch` has fewer than two options (hint: add `[[questions.options]]` tables until there are at least two answers to choose from)",
        ],
    );
}

#[test]
fn empty_text() {
    check_errors(
        "text = \"How many apps?\"",
        "text = \" \"",
        &[
            "content/checklists/demo.toml:40:8: error: question text is empty (hint: write the question text)",
        ],
    );
    check_errors(
        "label = \"One\"",
        "label = \"\"",
        &[
            "content/checklists/demo.toml:43:9: error: option label is empty (hint: write the option label)",
        ],
    );
}

#[test]
fn changed_in_must_be_a_version() {
    check_errors(
        "changed_in = 2",
        "changed_in = 3",
        &[
            "content/checklists/demo.toml:53:14: error: `changed_in = 3` is not a version of this checklist (1 to 2) (hint: set `changed_in` to the version in which the question's meaning changed, and bump `version` with it)",
        ],
    );
}

#[test]
fn unsure_options_score_nothing() {
    check_errors(
        "unsure = true",
        "unsure = true\npoints = 1",
        &[
            "content/checklists/demo.toml:33:6: error: the \"not sure\" option `unsure` has points or a holder (hint: a \"not sure\" answer scores nothing and holds nothing: remove `points`, `holder` and `carried_by`)",
        ],
    );
}

#[test]
fn unknown_keys_are_refused_with_a_suggestion() {
    check_errors(
        "control_point = \"Hours\"",
        "control_pont = \"Hours\"",
        &[
            "content/checklists/demo.toml:20:1: error: unknown key `control_pont` (hint: did you mean `control_point`?)",
        ],
    );
}

#[test]
fn scoring_rounds_half_up_and_weights_dimensions() {
    let checklist = parse_text(VALID).unwrap();
    // control: 2*2/2*2 = 100; exit: apps many 3/3 -> 100, switch no (0/1) -> (3+0)/(3+1) = 75.
    let outcome = score(
        &checklist,
        &answers(&[("hours", "me"), ("apps", "many"), ("switch", "no")]),
    );
    assert_eq!(outcome.dimensions["control"], Some(100));
    assert_eq!(outcome.dimensions["exit"], Some(75));
    // (2*100 + 1*75) / 3 = 91.67 -> 92
    assert_eq!(outcome.overall, Some(92));
    assert_eq!(outcome.band.as_deref(), Some("high"));
    assert_eq!(outcome.visible, 3);
    assert_eq!(outcome.answered, 3);
}

#[test]
fn hidden_questions_do_not_count() {
    let checklist = parse_text(VALID).unwrap();
    let outcome = score(
        &checklist,
        &answers(&[("hours", "them"), ("apps", "one"), ("switch", "yes")]),
    );
    assert_eq!(outcome.visible_questions, ["hours", "apps"]);
    assert_eq!(outcome.dimensions["exit"], Some(0));
    assert_eq!(outcome.control_map.len(), 1);
    assert_eq!(outcome.control_map[0].holder, Some(Holder::Platform));
}

#[test]
fn unsure_lands_on_find_out_and_scores_nothing() {
    let checklist = parse_text(VALID).unwrap();
    let outcome = score(&checklist, &answers(&[("hours", "unsure")]));
    assert_eq!(outcome.find_out, ["hours"]);
    assert_eq!(outcome.dimensions["control"], None);
    assert_eq!(outcome.overall, None);
    assert_eq!(outcome.band, None);
    assert_eq!(outcome.answered, 1);
    assert_eq!(outcome.control_map[0].holder, None);
}

#[test]
fn unknown_answers_are_ignored() {
    let checklist = parse_text(VALID).unwrap();
    let outcome = score(&checklist, &answers(&[("hours", "nope"), ("ghost", "me")]));
    assert_eq!(outcome.answered, 0);
    assert_eq!(outcome.overall, None);
}

#[test]
fn model_json_cannot_close_its_script_element() {
    let text = VALID.replacen("title = \"Demo\"", "title = \"</script><!-- & \"", 1);
    let json = model_json(&parse_text(&text).unwrap());
    assert!(
        !json.contains('<') && !json.contains('>') && !json.contains('&'),
        "{json}"
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["title"], "</script><!-- & ");
}

#[test]
fn json_schema_describes_the_format() {
    let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
    assert_eq!(schema["title"], "plumb checklist criteria");
    assert!(schema["properties"]["questions"].is_object());
    assert!(schema.to_string().contains("control_point"));
    for key in ["findings", "min_answers", "show_points", "holders"] {
        assert!(schema["properties"][key].is_object(), "{key}");
    }
    let text = schema.to_string();
    for part in [
        "carried_by",
        "\"risk\"",
        "\"optional\"",
        "\"texts\"",
        "\"any\"",
        "\"link\"",
    ] {
        assert!(text.contains(part), "{part}");
    }
    // the holder is an enum in the schema too
    assert!(
        text.contains("\"enum\":[\"you\",\"shared\",\"platform\"]")
            || text.contains("\"const\":\"platform\""),
        "{text}"
    );
}

/// The valid file with a risk question, dimension texts, holder names and findings after it.
fn extended(findings: &str) -> String {
    let mut text = VALID.replacen(
        "title = \"Exit\"",
        "title = \"Exit\"\ntexts = [{ min = 0, max = 49, text = \"Hard to leave.\" }, { min = 50, max = 100, text = \"Easy to leave.\" }]",
        1,
    );
    text.push_str(
        r#"
[holders]
platform = "The app"

[[questions]]
id = "costs"
dimension = "exit"
text = "Who pays for the van?"
risk = "Van costs"
optional = true
[[questions.options]]
id = "me"
label = "I do"
carried_by = "you"
[[questions.options]]
id = "them"
label = "The company"
points = 1
carried_by = "platform"
"#,
    );
    text.push_str(findings);
    text
}

const FINDINGS: &str = r#"
[[findings]]
id = "cost-without-say"
text = "You pay for the van, but they set your hours."
all = [{ question = "costs", answers = ["me"] }, { question = "hours", answers = ["them"] }]

[[findings]]
id = "easy-exit"
text = "Leaving is easy."
any = [{ dimension = "exit", min = 50 }, { question = "apps", answers = ["many"] }]
"#;

#[test]
fn no_verdict_until_every_required_question_is_answered() {
    let checklist = parse_text(&extended(FINDINGS)).unwrap();
    let one = score(&checklist, &answers(&[("hours", "them")]));
    // hours, apps required; switch hidden; costs optional.
    assert_eq!((one.ready, one.left), (false, 1));
    assert_eq!((one.overall, one.band.as_deref()), (None, None));
    assert!(one.findings.is_empty());
    let done = score(&checklist, &answers(&[("hours", "them"), ("apps", "one")]));
    assert_eq!((done.ready, done.left), (true, 0));
    assert_eq!(done.band.as_deref(), Some("low"));
    // "not sure" is an answer: the verdict does not wait for more.
    let unsure = score(
        &checklist,
        &answers(&[("hours", "unsure"), ("apps", "one")]),
    );
    assert!(unsure.ready);
    // an answer that reveals a question asks for it too.
    let more = score(&checklist, &answers(&[("hours", "me"), ("apps", "many")]));
    assert_eq!((more.ready, more.left), (false, 1));
}

#[test]
fn min_answers_lets_the_verdict_come_sooner() {
    let text = extended(FINDINGS).replacen(
        "intro = \"Try it.\"",
        "intro = \"Try it.\"\nmin_answers = 1",
        1,
    );
    let checklist = parse_text(&text).unwrap();
    let one = score(&checklist, &answers(&[("hours", "me")]));
    assert_eq!((one.ready, one.overall), (true, Some(100)));
    check_errors(
        "intro = \"Try it.\"",
        "intro = \"Try it.\"\nmin_answers = 9",
        &[
            "content/checklists/demo.toml:6:15: error: `min_answers = 9` is not between 1 and the number of questions (3) (hint: leave `min_answers` out to wait for every question shown that is not `optional`)",
        ],
    );
}

#[test]
fn findings_hold_on_all_and_any_clauses() {
    let checklist = parse_text(&extended(FINDINGS)).unwrap();
    let check = |pairs: &[(&str, &str)], expected: &[&str]| {
        assert_eq!(
            score(&checklist, &answers(pairs)).findings,
            expected,
            "{pairs:?}"
        );
    };
    check(
        &[("hours", "them"), ("apps", "one"), ("costs", "me")],
        &["cost-without-say"],
    );
    check(&[("hours", "me"), ("apps", "one"), ("costs", "me")], &[]);
    // exit: apps many 3/3, switch yes 1/1 -> 100: both clauses of `any` hold.
    check(
        &[
            ("hours", "them"),
            ("apps", "many"),
            ("switch", "yes"),
            ("costs", "me"),
        ],
        &["cost-without-say", "easy-exit"],
    );
    // a hidden question's answer does not count.
    let hidden = extended(FINDINGS)
        .replacen(
            "answers = [\"me\"] }, { question = \"hours\"",
            "answers = [\"me\"] }, { question = \"switch\"",
            1,
        )
        .replacen("answers = [\"them\"] }]", "answers = [\"yes\"] }]", 1);
    let hidden = parse_text(&hidden).unwrap();
    let outcome = score(
        &hidden,
        &answers(&[
            ("hours", "them"),
            ("apps", "one"),
            ("switch", "yes"),
            ("costs", "me"),
        ]),
    );
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
}

#[test]
fn dimension_texts_holders_and_the_risk_map() {
    let checklist = parse_text(&extended(FINDINGS)).unwrap();
    assert_eq!(checklist.holders.name(Some(Holder::Platform)), "The app");
    assert_eq!(checklist.holders.name(None), "Not known");
    let outcome = score(
        &checklist,
        &answers(&[("hours", "me"), ("apps", "one"), ("costs", "me")]),
    );
    assert_eq!(outcome.dimension_texts["exit"], Some(0));
    assert_eq!(outcome.dimension_texts["control"], None);
    assert_eq!(outcome.risk_map.len(), 1);
    assert_eq!(outcome.risk_map[0].holder, Some(Holder::You));
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(json["risk_map"][0]["holder"], "you");
    assert_eq!(json["control_map"][0]["holder"], "you");
}

#[test]
fn bad_findings_are_located_with_a_hint() {
    let bad = |from: &str, to: &str| -> Vec<String> {
        let text = extended(FINDINGS);
        assert!(text.contains(from), "{from}");
        parse_text(&text.replacen(from, to, 1)).unwrap_err()
    };
    assert_eq!(
        bad(
            "answers = [\"me\"] }, { question = \"hours\"",
            "answers = [\"mine\"] }, { question = \"hours\""
        ),
        [
            "content/checklists/demo.toml:103:41: error: `mine` is not an option of question `costs` (hint: options of `costs`: me, them)"
        ]
    );
    assert_eq!(
        bad("{ question = \"hours\"", "{ question = \"hour\""),
        [
            "content/checklists/demo.toml:103:63: error: a finding names an unknown question `hour` (hint: did you mean `hours`?)"
        ]
    );
    assert_eq!(
        bad(
            "{ dimension = \"exit\", min = 50 }",
            "{ dimension = \"exit\", min = 50, max = 20 }"
        ),
        [
            "content/checklists/demo.toml:108:36: error: the range of dimension `exit` runs from 50 to 20 (hint: `min` and `max` are scores from 0 to 100, with `min` not above `max`)"
        ]
    );
    assert_eq!(
        bad("{ dimension = \"exit\", min = 50 }", "{ min = 50 }"),
        [
            "content/checklists/demo.toml:108:8: error: a clause must name either a `question` or a `dimension` (hint: write `{ question = \"id\", answers = [\"option\"] }` or `{ dimension = \"id\", min = 0, max = 40 }`)"
        ]
    );
    assert_eq!(
        bad("any = [", "any = [] #"),
        [
            "content/checklists/demo.toml:106:6: error: finding `easy-exit` has no condition (hint: add `all = [...]` or `any = [...]` with clauses such as `{ question = \"costs\", answers = [\"me\"] }`)"
        ]
    );
}

#[test]
fn risk_questions_say_who_carries_the_risk() {
    let text = extended("");
    assert_eq!(
        parse_text(&text.replacen("carried_by = \"you\"\n", "", 1)).unwrap_err(),
        [
            "content/checklists/demo.toml:91:6: error: option `me` of the risk question `costs` does not say who carries the risk (hint: add `carried_by = \"you\"`, `\"shared\"` or `\"platform\"` to the option)"
        ]
    );
    assert_eq!(
        parse_text(&text.replacen("risk = \"Van costs\"\n", "", 1))
            .unwrap_err()
            .len(),
        2,
        "each option with `carried_by` on a question without `risk`"
    );
    assert_eq!(
        parse_text(&text.replacen("carried_by = \"you\"", "carried_by = \"nobody\"", 1))
            .unwrap_err()[0],
        "content/checklists/demo.toml:93:14: error: unknown variant `nobody`, expected one of `you`, `shared`, `platform` (hint: see the TOML syntax at the marked place)"
    );
}

#[test]
fn dimension_texts_must_not_overlap() {
    check_errors(
        "title = \"Exit\"",
        "title = \"Exit\"\ntexts = [{ min = 0, max = 60, text = \"Low.\" }, { min = 50, max = 100, text = \"High.\" }]",
        &[
            "content/checklists/demo.toml:15:56: error: two texts of dimension `exit` both cover the score 50 (hint: start this text at 61 or later)",
        ],
    );
}

#[test]
fn next_steps_take_text_or_a_link() {
    let text = VALID.replacen(
        "next_steps = [\"Keep it.\"]",
        "next_steps = [\"Keep it.\", { text = \"Read on.\", link = \"../guide/next.md\" }]",
        1,
    );
    let checklist = parse_text(&text).unwrap();
    let step = &checklist.bands[1].next_steps[1];
    assert_eq!(step.text, "Read on.");
    let link = step.link.as_ref().unwrap();
    assert_eq!(link.path, "../guide/next.md");
    assert_eq!(&text[link.span.clone()], "\"../guide/next.md\"");
    let source = Source::new("content/checklists/demo.toml", text.clone());
    let target = LinkTarget {
        url: "/guide/next/".to_owned(),
        title: "Next".to_owned(),
    };
    let pages = |path: &str| -> std::collections::HashMap<String, LinkTarget> {
        [(path.to_owned(), target.clone())].into()
    };
    let urls = resolve_links(
        &checklist,
        &source,
        "checklists/demo.toml",
        &pages("guide/next.md"),
    )
    .unwrap();
    assert_eq!(urls["../guide/next.md"], target);
    let errors: Vec<String> = resolve_links(
        &checklist,
        &source,
        "checklists/demo.toml",
        &pages("guide/nxt.md"),
    )
    .unwrap_err()
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        errors,
        [
            "content/checklists/demo.toml:78:55: error: link to a missing page `../guide/next.md` (content/guide/next.md) (hint: did you mean `content/guide/nxt.md`? (paths are relative to this file's folder))"
        ]
    );
}
