//! Anonymous survey answers (`docs/design/surveys.md`).
//!
//! A device posts its answer to `POST /v1/surveys/answer` with its token. The
//! relay:
//! 1. checks the device, the answer and that the survey is in a feedback
//!    document of the device's store;
//! 2. in one SQLite transaction, records a one-way voter mark
//!    (HMAC-SHA-256 with a secret only the relay holds, of the survey and the
//!    person, or the device when it has no person) — a second answer from the
//!    same person is refused — and queues the answer, under a fresh random key
//!    and without anything of the device, in a table of its own;
//! 3. later, once a survey has [`BATCH_ANSWERS`] answers waiting (or the oldest
//!    has waited [`MAX_WAIT_MS`]), writes them shuffled, in one automerge change,
//!    under a fresh random actor, through the engine (stored and synced like
//!    any change), then forgets them.
//!
//! Both tables are `WITHOUT ROWID` and keyed by random or one-way values, so
//! neither keeps the order answers came in, and deleted rows are zeroed
//! (`secure_delete`): nothing stored joins a voter mark to an answer.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use std::time::Duration;

use automerge::{ActorId, Automerge};
use sha2::{Digest, Sha256};
use storeops_api::relay::{SurveyAnswerAccepted, SurveyAnswerRequest};
use storeops_domain::feedback::{self, SurveyAnswer};
use storeops_domain::kind;
use storeops_storage::sql::{Database, Dialect};
use storeops_storage::{Migrations, StorageError, migrate, params};
use storeops_sync::DocumentId;

use crate::backend::Backend;
use crate::hub::Hubs;
use crate::registry::{Device, Registry};

/// A survey's waiting answers are written once there are this many…
pub const BATCH_ANSWERS: usize = 5;
/// …or once the oldest has waited this long.
pub const MAX_WAIT_MS: i64 = 6 * 3_600_000;
/// How often waiting answers are looked at.
const FLUSH_EVERY: Duration = Duration::from_millis(1_000);

const MIGRATIONS: Migrations = Migrations {
    sqlite: &["
    CREATE TABLE survey_voters (
        survey TEXT NOT NULL,
        voter BLOB NOT NULL,
        receipt BLOB NOT NULL,
        PRIMARY KEY (survey, voter)
    ) WITHOUT ROWID;
    CREATE TABLE survey_pending (
        id TEXT PRIMARY KEY,
        document TEXT NOT NULL,
        survey TEXT NOT NULL,
        score INTEGER NOT NULL,
        comment TEXT NOT NULL,
        waiting_since INTEGER NOT NULL
    ) WITHOUT ROWID;
"],
    // No row order on PostgreSQL either: a heap table keyed the same way.
    postgres: &["
    CREATE TABLE survey_voters (
        survey TEXT NOT NULL,
        voter BYTEA NOT NULL,
        receipt BYTEA NOT NULL,
        PRIMARY KEY (survey, voter)
    );
    CREATE TABLE survey_pending (
        id TEXT PRIMARY KEY,
        document TEXT NOT NULL,
        survey TEXT NOT NULL,
        score BIGINT NOT NULL,
        comment TEXT NOT NULL,
        waiting_since BIGINT NOT NULL
    );
"],
};

/// Why an answer was not taken.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("{0}")]
    Invalid(String),
    #[error("there is no survey {0} in this store; it may have been removed")]
    NotFound(String),
    #[error(
        "you have answered this survey already (on this or another device); one answer per person"
    )]
    AlreadyAnswered,
    #[error("the relay could not take the answer: {0}; try again")]
    Internal(String),
}

impl From<StorageError> for SurveyError {
    fn from(e: StorageError) -> Self {
        Self::Internal(e.to_string())
    }
}

/// The relay's survey answers: the voter marks, the waiting answers and the
/// batch writer.
pub struct Surveys {
    db: Mutex<Box<dyn Database>>,
    secret: [u8; 32],
    hubs: Hubs,
}

impl std::fmt::Debug for Surveys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Surveys").finish_non_exhaustive()
    }
}

impl Surveys {
    /// Opens the tables (in the relay's database) and the secret (a file in
    /// `data_dir` only the relay's user can read), and starts the thread that
    /// writes batches; it stops once the returned value is dropped.
    /// On a shared database the secret is a relay fact there instead, so
    /// every node marks a voter alike.
    pub fn start(
        backend: &Backend,
        data_dir: &Path,
        registry: &mut Registry,
        hubs: Hubs,
    ) -> anyhow::Result<Arc<Self>> {
        let mut db = backend.sql()?;
        migrate(db.as_mut(), "surveys", &MIGRATIONS)?;
        if db.dialect() == Dialect::Sqlite {
            // Forgotten answers leave no bytes behind in free pages.
            db.run_batch("PRAGMA secure_delete = ON")?;
        }
        let secret = if backend.is_shared() {
            let hex = registry.fact("survey-secret", || {
                random_hex(32).map_err(|e| crate::registry::RegistryError::Invalid(e.to_string()))
            })?;
            key_of(&hex).ok_or_else(|| anyhow::anyhow!("the relay's survey secret is damaged"))?
        } else {
            secret(&data_dir.join("survey-secret"))?
        };
        let surveys = Arc::new(Self {
            db: Mutex::new(db),
            secret,
            hubs,
        });
        let weak = Arc::downgrade(&surveys);
        std::thread::Builder::new()
            .name("storeops-surveys".into())
            .spawn(move || flush_loop(&weak))?;
        Ok(surveys)
    }

    fn db(&self) -> Result<std::sync::MutexGuard<'_, Box<dyn Database>>, SurveyError> {
        self.db
            .lock()
            .map_err(|_| SurveyError::Internal("the survey table is unavailable".into()))
    }

    /// The voter mark of `device` for `survey` of its store: one-way, and
    /// different for every survey.
    fn voter(&self, device: &Device, survey: &str) -> Vec<u8> {
        let who = match &device.person {
            Some(p) => format!("person\0{p}"),
            None => format!("device\0{}", device.id),
        };
        hmac_sha256(
            &self.secret,
            format!("{}\0{survey}\0{who}", device.store_id).as_bytes(),
        )
        .to_vec()
    }

    /// Takes one answer from `device` (blocking: SQLite and the engine thread).
    pub fn answer(
        &self,
        device: &Device,
        req: &SurveyAnswerRequest,
        now_ms: i64,
    ) -> Result<SurveyAnswerAccepted, SurveyError> {
        let answer = feedback::check_answer(req.score, &req.comment)
            .map_err(|e| SurveyError::Invalid(e.to_string()))?;
        let receipt = req.receipt.trim();
        if receipt.len() < 16 || receipt.len() > 128 {
            return Err(SurveyError::Invalid(
                "an answer needs a random receipt of 16 to 128 characters".into(),
            ));
        }
        let doc: DocumentId = req
            .document
            .parse()
            .map_err(|_| SurveyError::NotFound(req.survey.clone()))?;
        let survey_key = format!("{doc}/{}", req.survey);
        // The document must be a feedback document of the device's store.
        let meta: Option<(String, String)> = self
            .db()?
            .row(
                "SELECT scope, kind FROM documents WHERE id = $1",
                params![doc.as_bytes().as_slice()],
            )?
            .map(|r| Ok::<_, StorageError>((r.get(0)?, r.get(1)?)))
            .transpose()?;
        if meta.as_ref() != Some(&(device.store_id.clone(), kind::FEEDBACK.to_owned())) {
            return Err(SurveyError::NotFound(req.survey.clone()));
        }
        let survey = req.survey.clone();
        let found = self.on_engine(&device.store_id, doc, move |am| {
            let fb = feedback::read_feedback(am).map_err(|e| e.to_string())?;
            Ok(fb.surveys.contains_key(&survey))
        })?;
        if !found {
            return Err(SurveyError::NotFound(req.survey.clone()));
        }
        let voter = self.voter(device, &survey_key);
        let receipt = Sha256::digest(receipt.as_bytes()).to_vec();
        let mut db = self.db()?;
        let tx = db.transaction()?;
        let had: Option<Vec<u8>> = tx
            .row(
                "SELECT receipt FROM survey_voters WHERE survey = $1 AND voter = $2",
                params![survey_key.as_str(), voter.as_slice()],
            )?
            .map(|r| r.get(0))
            .transpose()?;
        match had {
            // The same answer sent again: it is queued already.
            Some(r) if r == receipt => {}
            Some(_) => return Err(SurveyError::AlreadyAnswered),
            None => {
                tx.run(
                    "INSERT INTO survey_voters (survey, voter, receipt) VALUES ($1, $2, $3)",
                    params![survey_key.as_str(), voter.as_slice(), receipt.as_slice()],
                )?;
                tx.run(
                    "INSERT INTO survey_pending (id, document, survey, score, comment, waiting_since)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    params![
                        format!("answer-{}", random_hex(16)?),
                        doc.to_string(),
                        req.survey.as_str(),
                        answer.score as i64,
                        answer.comment.as_str(),
                        // Only to bound the wait; to the hour, and gone with the answer.
                        now_ms - now_ms.rem_euclid(3_600_000),
                    ],
                )?;
            }
        }
        let waiting: i64 = tx
            .row(
                "SELECT COUNT(*) FROM survey_pending WHERE document = $1 AND survey = $2",
                params![doc.to_string(), req.survey.as_str()],
            )?
            .map(|r| r.get(0))
            .transpose()?
            .unwrap_or(0);
        tx.commit()?;
        Ok(SurveyAnswerAccepted {
            waiting: waiting as usize,
        })
    }

    /// [`Hubs::on_engine`], its error as a [`SurveyError`].
    fn on_engine<R: Send + 'static>(
        &self,
        store: &str,
        doc: DocumentId,
        f: impl FnOnce(&mut Automerge) -> Result<R, String> + Send + 'static,
    ) -> Result<R, SurveyError> {
        self.hubs
            .on_engine(store, doc, f)
            .map_err(SurveyError::Internal)
    }

    /// Writes every batch that is due.
    fn flush_due(&self, now_ms: i64) -> Result<(), SurveyError> {
        let due: Vec<(String, String)> = {
            let db = self.db()?;
            db.rows(
                "SELECT document, survey, COUNT(*), MIN(waiting_since) FROM survey_pending
                 GROUP BY document, survey",
                &[],
            )?
            .into_iter()
            .filter_map(|r| {
                Some((
                    r.get::<String>(0).ok()?,
                    r.get::<String>(1).ok()?,
                    r.get::<i64>(2).ok()?,
                    r.get::<i64>(3).ok()?,
                ))
            })
            .filter(|(_, _, n, since)| {
                *n as usize >= BATCH_ANSWERS || now_ms - since >= MAX_WAIT_MS
            })
            .map(|(d, s, _, _)| (d, s))
            .collect()
        };
        for (doc, survey) in due {
            if let Err(e) = self.flush(&doc, &survey, now_ms) {
                tracing::warn!(error = %e, "writing a batch of survey answers failed; retrying");
            }
        }
        Ok(())
    }

    /// Writes one survey's waiting answers, shuffled, in one change under a
    /// fresh actor, and forgets them once the engine has stored it.
    fn flush(&self, doc: &str, survey: &str, now_ms: i64) -> Result<(), SurveyError> {
        let (store, mut batch) = {
            let db = self.db()?;
            let id = doc
                .parse::<DocumentId>()
                .map_err(|e| SurveyError::Internal(e.to_string()))?;
            let store: String = db
                .row(
                    "SELECT scope FROM documents WHERE id = $1",
                    params![id.as_bytes().as_slice()],
                )?
                .ok_or_else(|| SurveyError::Internal(format!("no document {doc}")))?
                .get(0)?;
            let batch = db
                .rows(
                    "SELECT id, score, comment FROM survey_pending WHERE document = $1 AND survey = $2",
                    params![doc, survey],
                )?
                .into_iter()
                .map(|r| {
                    Ok((
                        r.get::<String>(0)?,
                        SurveyAnswer {
                            score: r.get::<i64>(1)? as u64,
                            comment: r.get(2)?,
                        },
                    ))
                })
                .collect::<Result<Vec<_>, StorageError>>()?;
            (store, batch)
        };
        shuffle(&mut batch)?;
        let ids: Vec<String> = batch.iter().map(|(id, _)| id.clone()).collect();
        let doc_id: DocumentId = doc
            .parse()
            .map_err(|_| SurveyError::Internal("bad document id".into()))?;
        let survey_id = survey.to_owned();
        let written = self.on_engine(&store, doc_id, move |am| {
            // A fresh actor for every batch: batches are not linked to each other,
            // nor to any device.
            am.set_actor(ActorId::random());
            match feedback::record_survey_answers(am, &survey_id, &batch, now_ms) {
                Ok(n) => Ok(Some(n)),
                Err(storeops_domain::DomainError::NotFound { .. }) => Ok(None),
                Err(e) => Err(e.to_string()),
            }
        })?;
        if written.is_none() {
            tracing::warn!(
                survey,
                answers = ids.len(),
                "the survey was removed; its waiting answers are dropped"
            );
        }
        let mut db = self.db()?;
        let tx = db.transaction()?;
        for id in &ids {
            tx.run("DELETE FROM survey_pending WHERE id = $1", params![id])?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// `POST /v1/surveys/answer`: [`SurveyAnswerRequest`] with the device's bearer
/// token → [`SurveyAnswerAccepted`]; `409 already_answered` for a second answer.
pub(crate) async fn answer(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<axum::response::Response, crate::ApiError> {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let req: SurveyAnswerRequest = serde_json::from_slice(&body).map_err(|e| {
        crate::ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!(
                "expected JSON {{\"document\", \"survey\", \"score\", \"comment\", \"receipt\"}}: {e}"
            ),
        )
    })?;
    let unauthorized = || {
        crate::ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this device is not enrolled or was revoked",
        )
    };
    let token =
        crate::bearer(&headers, &std::collections::HashMap::new()).ok_or_else(unauthorized)?;
    let (registry, surveys) = (state.registry.clone(), state.surveys.clone());
    let answered = tokio::task::spawn_blocking(move || {
        let device = registry
            .lock()
            .map_err(|_| SurveyError::Internal("registry unavailable".into()))?
            .device_by_token(&token)
            .map_err(|e| SurveyError::Internal(e.to_string()))?;
        let now = crate::now_ms();
        match device {
            Some(d) if d.usable_at(now) => surveys.answer(&d, &req, now).map(Some),
            _ => Ok(None),
        }
    })
    .await
    .map_err(|_| {
        crate::ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "try again")
    })?;
    let e = match answered {
        Ok(Some(accepted)) => return Ok(axum::Json(accepted).into_response()),
        Ok(None) => return Err(unauthorized()),
        Err(e) => e,
    };
    let (status, code) = match &e {
        SurveyError::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid"),
        SurveyError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        SurveyError::AlreadyAnswered => (StatusCode::CONFLICT, "already_answered"),
        SurveyError::Internal(m) => {
            tracing::error!(error = %m, "taking a survey answer failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    };
    Err(crate::ApiError::new(status, code, e.to_string()))
}

fn flush_loop(surveys: &Weak<Surveys>) {
    loop {
        std::thread::sleep(FLUSH_EVERY);
        let Some(s) = surveys.upgrade() else {
            return;
        };
        if let Err(e) = s.flush_due(crate::now_ms()) {
            tracing::warn!(error = %e, "looking for survey batches failed");
        }
    }
}

/// The relay's survey secret, made on first use.
fn secret(path: &PathBuf) -> anyhow::Result<[u8; 32]> {
    if let Some(key) = std::fs::read_to_string(path)
        .ok()
        .and_then(|hex| key_of(&hex))
    {
        return Ok(key);
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, hex.as_bytes())?;
    Ok(key)
}

/// A 32-byte key written as hex.
fn key_of(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    <[u8; 32]>::try_from(bytes.as_slice()).ok()
}

/// HMAC-SHA-256 (RFC 2104).
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

fn random_hex(n: usize) -> Result<String, SurveyError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| SurveyError::Internal(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Fisher–Yates with the system's randomness.
fn shuffle<T>(items: &mut [T]) -> Result<(), SurveyError> {
    for i in (1..items.len()).rev() {
        let mut b = [0u8; 8];
        getrandom::fill(&mut b).map_err(|e| SurveyError::Internal(e.to_string()))?;
        let j = (u64::from_le_bytes(b) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_is_rfc_4231() {
        let hex = |b: [u8; 32]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        // Test cases 1 and 2.
        assert_eq!(
            hex(hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_shuffle_keeps_every_item() {
        let mut v: Vec<u32> = (0..50).collect();
        shuffle(&mut v).unwrap();
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    }
}
