//! Where the device token is kept: the OS keyring (Secret Service on Linux, the
//! Keychain on macOS, the Credential Manager on Windows) when the system has one,
//! else a file in the data directory that only this user can read.

use std::path::{Path, PathBuf};

use crate::ClientError;

/// A place that can hold one secret.
pub(crate) trait Keyring {
    fn set(&self, secret: &str) -> Result<(), String>;
    /// `Ok(None)` when nothing is stored.
    fn get(&self) -> Result<Option<String>, String>;
    fn delete(&self) -> Result<(), String>;
}

/// The OS keyring entry for one data directory (`account` tells them apart).
pub(crate) struct OsKeyring {
    account: String,
}

impl OsKeyring {
    pub(crate) fn new(account: &str) -> Self {
        Self {
            account: account.to_owned(),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, String> {
        keyring::Entry::new("storeops", &self.account).map_err(|e| e.to_string())
    }
}

impl Keyring for OsKeyring {
    fn set(&self, secret: &str) -> Result<(), String> {
        self.entry()?
            .set_password(secret)
            .map_err(|e| e.to_string())
    }

    fn get(&self) -> Result<Option<String>, String> {
        match self.entry()?.get_password() {
            Ok(s) => Ok(Some(s)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    fn delete(&self) -> Result<(), String> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The device token: in the keyring if it takes it, else in `<data dir>/device-token`
/// (mode 0600). Only one copy exists at a time.
pub(crate) struct TokenVault<K: Keyring = OsKeyring> {
    keyring: K,
    file: PathBuf,
}

impl TokenVault<OsKeyring> {
    /// The vault of the replica in `data_dir`, whose storage id names its keyring entry.
    pub(crate) fn open(data_dir: &Path, storage_id: &str) -> Self {
        Self::with_keyring(
            OsKeyring::new(&format!("device-token-{storage_id}")),
            data_dir,
        )
    }
}

impl<K: Keyring> TokenVault<K> {
    pub(crate) fn with_keyring(keyring: K, data_dir: &Path) -> Self {
        Self {
            keyring,
            file: data_dir.join("device-token"),
        }
    }

    pub(crate) fn save(&self, token: &str) -> Result<(), ClientError> {
        match self.keyring.set(token) {
            Ok(()) => {
                tracing::info!("device token saved in the OS keyring");
                remove_file(&self.file)
            }
            Err(why) => {
                tracing::info!(%why, "no usable OS keyring; the device token goes to a private file");
                write_private(&self.file, token)
            }
        }
    }

    pub(crate) fn load(&self) -> Result<String, ClientError> {
        if let Ok(Some(t)) = self.keyring.get() {
            return Ok(t.trim().to_owned());
        }
        std::fs::read_to_string(&self.file)
            .map(|t| t.trim().to_owned())
            .map_err(|_| ClientError::NotEnrolled)
    }

    pub(crate) fn delete(&self) -> Result<(), ClientError> {
        if let Err(why) = self.keyring.delete() {
            tracing::debug!(%why, "no keyring entry removed");
        }
        remove_file(&self.file)
    }
}

fn remove_file(path: &Path) -> Result<(), ClientError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ClientError::Storage(format!(
            "cannot remove the device token: {e}"
        ))),
    }
}

fn write_private(path: &Path, secret: &str) -> Result<(), ClientError> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| ClientError::Storage(format!("cannot save the device token: {e}")))?;
    f.write_all(secret.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| ClientError::Storage(format!("cannot save the device token: {e}")))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// A keyring that works, kept in memory.
    #[derive(Default)]
    struct Memory(RefCell<Option<String>>);

    impl Keyring for Memory {
        fn set(&self, secret: &str) -> Result<(), String> {
            *self.0.borrow_mut() = Some(secret.to_owned());
            Ok(())
        }
        fn get(&self) -> Result<Option<String>, String> {
            Ok(self.0.borrow().clone())
        }
        fn delete(&self) -> Result<(), String> {
            *self.0.borrow_mut() = None;
            Ok(())
        }
    }

    /// A system without a keyring service.
    struct Absent;

    impl Keyring for Absent {
        fn set(&self, _: &str) -> Result<(), String> {
            Err("no secret service".into())
        }
        fn get(&self) -> Result<Option<String>, String> {
            Err("no secret service".into())
        }
        fn delete(&self) -> Result<(), String> {
            Err("no secret service".into())
        }
    }

    #[test]
    fn with_a_keyring_the_token_lives_there_and_no_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("device-token"), "old").unwrap();
        let v = TokenVault::with_keyring(Memory::default(), dir.path());
        v.save("secret").unwrap();
        assert!(!dir.path().join("device-token").exists());
        assert_eq!(v.load().unwrap(), "secret");
        v.delete().unwrap();
        assert!(matches!(v.load(), Err(ClientError::NotEnrolled)));
    }

    #[test]
    fn without_a_keyring_the_token_goes_to_a_file_only_this_user_reads() {
        let dir = tempfile::tempdir().unwrap();
        let v = TokenVault::with_keyring(Absent, dir.path());
        v.save("secret").unwrap();
        let file = dir.path().join("device-token");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(v.load().unwrap(), "secret");
        v.delete().unwrap();
        assert!(!file.exists());
        assert!(matches!(v.load(), Err(ClientError::NotEnrolled)));
    }

    #[test]
    fn a_token_saved_in_a_file_before_a_keyring_appeared_is_still_read() {
        let dir = tempfile::tempdir().unwrap();
        TokenVault::with_keyring(Absent, dir.path())
            .save("from-before")
            .unwrap();
        let v = TokenVault::with_keyring(Memory::default(), dir.path());
        assert_eq!(v.load().unwrap(), "from-before");
    }
}
