//! An anonymous survey that is anonymous (issue 18): five staff devices answer
//! through a real relay process; the manager sees results once five are in; no
//! byte the relay stores and no change of any synced document ties an answer to
//! a device's actor id, device id or person id; one answer per person.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use automerge::{ObjType, ROOT, ReadDoc, Value};
use storeops_api::Handles;
use storeops_api::assessment::AnswerDelivery;
use storeops_api::command::{AnswerSurvey, Enrol, GetAssessment, OpenSurvey, ReportProblem};
use storeops_client::{Device, sync_loop};
use storeops_e2e::{RelayProcess, artifacts, free_port, relay_cli, stored_org};
use storeops_storage::DocumentStore;

fn wait(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Staff {
    device: Device,
    device_id: String,
    person: String,
    actor: String,
}

fn delivery(device: &Device, survey: &str) -> Option<AnswerDelivery> {
    device
        .handle(GetAssessment { year: None })
        .ok()?
        .surveys
        .into_iter()
        .find(|s| s.id == survey)?
        .delivery
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn five_answers_through_the_relay_show_results_and_nothing_ties_an_answer_to_anyone() {
    let dir = tempfile::tempdir().unwrap();
    let out = artifacts("anonymous_survey");
    let relay_dir = dir.path().join("relay");
    let store = relay_cli(
        &relay_dir,
        &[
            "store",
            "create",
            "--name",
            "Survey",
            "--template",
            "plan2",
            "--locale",
            "en",
            "--demo-people",
            "yes",
        ],
    )
    .unwrap();
    let people: Vec<String> = stored_org(&relay_dir, &store)
        .unwrap()
        .people
        .keys()
        .take(5)
        .cloned()
        .collect();
    assert_eq!(people.len(), 5, "the demo store has people");
    let invite = |role: &str, person: Option<&str>| {
        let mut args = vec!["invite", "create", "--store", &store, "--role", role];
        if let Some(p) = person {
            args.extend(["--person", p]);
        }
        relay_cli(&relay_dir, &args).unwrap()
    };
    let manager_code = invite("manager", None);
    let staff_codes: Vec<String> = people.iter().map(|p| invite("staff", Some(p))).collect();
    let mut relay =
        RelayProcess::start(&relay_dir, free_port().unwrap(), &out.join("relay.log")).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();

    let enrol = |name: &str, code: &str| {
        let device = Device::open(&dir.path().join(name)).unwrap();
        device
            .handle(Enrol {
                relay_url: relay.url(),
                code: code.to_owned(),
                device_name: name.to_owned(),
            })
            .unwrap();
        rt.spawn(sync_loop(device.clone()));
        device
    };
    let manager = enrol("manager", &manager_code);
    let mut opened = None;
    wait("the manager's store, to open a survey", || {
        opened = manager
            .handle(OpenSurvey {
                title: "How was this month?".into(),
            })
            .ok();
        opened.is_some()
    });
    let board = opened.unwrap();
    let survey = board.surveys[0].id.clone();
    wait("the survey to reach the relay", || {
        manager.app_status().sync.pending_changes == 0
    });

    let staff: Vec<Staff> = staff_codes
        .iter()
        .zip(&people)
        .enumerate()
        .map(|(i, (code, person))| {
            let device = enrol(&format!("staff-{i}"), code);
            let r = device.replica();
            let device_id = r.enrolment().unwrap().device_id.clone();
            let actor = r.automerge_actor();
            drop(r);
            Staff {
                device,
                device_id,
                person: person.clone(),
                actor,
            }
        })
        .collect();
    for s in &staff {
        wait("the survey on a staff device", || {
            s.device
                .handle(GetAssessment { year: None })
                .is_ok_and(|b| b.surveys.iter().any(|x| x.id == survey))
        });
        // Each also writes in the same feedback document under its own name and
        // actor: the kind of change that would tie an answer to a person.
        wait("a staff device to report a problem", || {
            s.device
                .handle(ReportProblem {
                    category: "stock".into(),
                    text: format!("Shelf short, says {}", s.person),
                    photo: None,
                })
                .is_ok()
        });
    }

    // Four answer online; each is sent, and nothing shows yet.
    for (i, s) in staff[..4].iter().enumerate() {
        s.device
            .handle(AnswerSurvey {
                survey_id: survey.clone(),
                score: 2 + i as u64 % 4,
                comment: format!("comment-of-answer-{i}"),
            })
            .unwrap();
        wait("the answer to be sent", || {
            delivery(&s.device, &survey) == Some(AnswerDelivery::Sent)
        });
    }
    std::thread::sleep(Duration::from_secs(3));
    let row = |d: &Device| {
        d.handle(GetAssessment { year: None })
            .unwrap()
            .surveys
            .into_iter()
            .find(|x| x.id == survey)
            .unwrap()
    };
    let m = row(&manager);
    assert_eq!(
        (m.answers, m.results.is_none()),
        (0, true),
        "the relay holds answers until a batch of five"
    );

    // The fifth answers offline: it waits on the device, and goes once the relay
    // is back (the four waiting on the relay survived its restart).
    relay.stop();
    staff[4]
        .device
        .handle(AnswerSurvey {
            survey_id: survey.clone(),
            score: 5,
            comment: "comment-of-answer-4".into(),
        })
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        delivery(&staff[4].device, &survey),
        Some(AnswerDelivery::WaitingToSend)
    );
    relay.restart().unwrap();
    wait("the offline answer to be sent", || {
        delivery(&staff[4].device, &survey) == Some(AnswerDelivery::Sent)
    });
    wait("results on the manager's device", || {
        row(&manager).results.is_some()
    });
    let results = row(&manager).results.unwrap();
    assert_eq!(results.answers, 5);
    assert_eq!(results.distribution, [0, 1, 1, 1, 2]);
    assert_eq!(results.comments.len(), 5);

    // A second answer: the device says so, and the relay refuses it too.
    let again = staff[0].device.handle(AnswerSurvey {
        survey_id: survey.clone(),
        score: 1,
        comment: "again".into(),
    });
    assert!(
        again.unwrap_err().to_string().contains("answered"),
        "the device refuses a second answer"
    );
    let token = staff[0].device.replica().token().unwrap();
    let feedback_doc = feedback_document(&relay_dir, &survey);
    let refused = ureq::post(&format!("{}/v1/surveys/answer", relay.url()))
        .set("authorization", &format!("Bearer {token}"))
        .send_json(serde_json::json!({
            "document": feedback_doc.to_string(),
            "survey": survey,
            "score": 1,
            "comment": "a second try by hand",
            "receipt": "0123456789abcdef0123",
        }));
    match refused {
        Err(ureq::Error::Status(409, r)) => {
            let body: serde_json::Value = r.into_json().unwrap();
            assert_eq!(body["code"], "already_answered");
            assert!(
                body["message"]
                    .as_str()
                    .unwrap()
                    .contains("one answer per person"),
                "{body}"
            );
        }
        other => panic!("a second answer must be refused with 409: {other:?}"),
    }
    wait("the manager to be in sync", || {
        manager.app_status().sync.pending_changes == 0
    });
    relay.stop();
    drop(rt);

    // Nothing ties an answer to anyone.
    let actors: Vec<String> = staff.iter().map(|s| s.actor.clone()).collect();
    let mut ids: Vec<String> = staff
        .iter()
        .flat_map(|s| [s.device_id.clone(), s.person.clone(), s.actor.clone()])
        .collect();
    ids.sort();

    // 1. Every document the relay stores, every change: no change that touches
    //    the answers is by an answering device or names one.
    let db = storeops_storage::SqliteStore::open(&relay_dir.join("relay.sqlite")).unwrap();
    let doc_ids: Vec<Vec<u8>> = {
        let mut stmt = db.connection().prepare("SELECT id FROM documents").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let mut answer_changes = 0;
    let mut answers_seen = 0;
    for raw in &doc_ids {
        let id = storeops_sync::DocumentId::from_bytes(raw.as_slice().try_into().unwrap());
        let stored = db.load(&id).unwrap().unwrap();
        let mut am = automerge::Automerge::new();
        for chunk in &stored.chunks {
            am.load_incremental(chunk).unwrap();
        }
        // The answers maps and each answer's object, as the ops name them.
        let mut marks: BTreeSet<String> = BTreeSet::new();
        if let Ok(Some((Value::Object(ObjType::Map), surveys))) = am.get(ROOT, "surveys") {
            for s in am.keys(&surveys).collect::<Vec<_>>() {
                let Some((_, sv)) = am.get(&surveys, s.as_str()).unwrap() else {
                    continue;
                };
                let Some((_, answers)) = am.get(&sv, "answers").unwrap() else {
                    continue;
                };
                marks.insert(answers.to_string());
                for key in am.keys(&answers).collect::<Vec<_>>() {
                    answers_seen += 1;
                    marks.insert(format!("\"{key}\""));
                    for (_, a) in am.get_all(&answers, key.as_str()).unwrap() {
                        let creator = a.to_string();
                        assert!(
                            !actors.iter().any(|x| creator.ends_with(x.as_str())),
                            "answer {key} was created by an answering device ({creator})"
                        );
                        marks.insert(creator);
                    }
                }
            }
        }
        for change in am.get_changes(&[]) {
            let actor = change.actor_id().to_hex_string();
            let json = serde_json::to_string(&change.decode()).unwrap();
            let touches_answers = marks.iter().any(|m| json.contains(m.as_str()))
                || change.message().is_some_and(|m| {
                    m.contains("answer to survey") || m.contains("answers to survey")
                });
            if !touches_answers {
                continue;
            }
            answer_changes += 1;
            assert!(
                !actors.contains(&actor),
                "a change touching answers is by an answering device ({actor}): {:?}",
                change.message()
            );
            for id in &ids {
                assert!(
                    !json.contains(id.as_str()),
                    "a change touching answers names {id}: {json}"
                );
            }
        }
    }
    assert_eq!(
        answers_seen, 5,
        "the five answers are in the stored document"
    );
    assert!(
        answer_changes >= 1,
        "the batch that wrote the answers is found (the check above is live)"
    );

    // 2. The relay's survey tables: the voter marks name no one, no answer waits.
    let conn = db.connection();
    let pending: i64 = conn
        .query_row("SELECT COUNT(*) FROM survey_pending", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pending, 0, "written answers are forgotten by the relay");
    let mut stmt = conn
        .prepare("SELECT survey, voter, receipt FROM survey_voters")
        .unwrap();
    let voters: Vec<(String, Vec<u8>, Vec<u8>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(voters.len(), 5, "one voter mark per person");
    for (_, voter, receipt) in &voters {
        for id in &ids {
            assert!(!contains(voter, id.as_bytes()) && !contains(receipt, id.as_bytes()));
        }
    }
    drop(stmt);
    drop(db);

    // 3. Every byte of the relay's database files: wherever an answer's comment
    //    is stored readable, no answering device's id is near it. (Actor and
    //    person ids are in the same feedback document as the answers — the
    //    actor table, the staff's own reports — which check 1 looks at change
    //    by change.)
    let mut comments_found = 0;
    for entry in std::fs::read_dir(&relay_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("relay.sqlite") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for i in 0..5 {
            let comment = format!("comment-of-answer-{i}");
            let mut at = 0;
            while let Some(pos) = bytes[at..]
                .windows(comment.len())
                .position(|w| w == comment.as_bytes())
            {
                comments_found += 1;
                let start = (at + pos).saturating_sub(4096);
                let end = (at + pos + 4096).min(bytes.len());
                for s in &staff {
                    assert!(
                        !contains(&bytes[start..end], s.device_id.as_bytes()),
                        "{name} holds the device id of {} near answer {i}",
                        s.person
                    );
                }
                at += pos + 1;
            }
        }
    }
    println!("answer comments found readable in the relay's files: {comments_found}");
}

/// The feedback document that holds `survey`, as the relay stores it.
fn feedback_document(relay_dir: &std::path::Path, survey: &str) -> storeops_sync::DocumentId {
    let db = storeops_storage::SqliteStore::open(&relay_dir.join("relay.sqlite")).unwrap();
    let mut stmt = db
        .connection()
        .prepare("SELECT id FROM documents WHERE kind = 'feedback'")
        .unwrap();
    let ids: Vec<Vec<u8>> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    ids.into_iter()
        .map(|raw| storeops_sync::DocumentId::from_bytes(raw.as_slice().try_into().unwrap()))
        .find(|id| {
            let stored = db.load(id).unwrap().unwrap();
            let mut am = automerge::Automerge::new();
            for chunk in &stored.chunks {
                am.load_incremental(chunk).unwrap();
            }
            storeops_domain::feedback::read_feedback(&am)
                .is_ok_and(|f| f.surveys.contains_key(survey))
        })
        .unwrap()
}
