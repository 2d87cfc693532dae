//! Caching with refresh before expiry, one fetch at a time.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::sync::Mutex;

use super::Clock;
use crate::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// Refresh this long before the expiry (the providers' signatures allow five minutes of
/// clock skew, and the official SDKs refresh about as early).
const REFRESH_BEFORE: Duration = Duration::from_secs(300);
/// How long credentials without an expiry are kept before asking again.
const TTL_WITHOUT_EXPIRY: Duration = Duration::from_secs(15 * 60);

/// The cached value and when to fetch again.
struct Entry {
    credentials: Credentials,
    refresh_at: i64,
}

/// The cache shared by [`Cached`], `InstanceMetadata` and `AssumeRole`.
pub(crate) struct CredentialsCache {
    slot: Mutex<Option<Entry>>,
    clock: Clock,
    refresh_before: Duration,
    ttl_without_expiry: Duration,
}

impl CredentialsCache {
    pub(crate) fn new(clock: Clock) -> Self {
        CredentialsCache {
            slot: Mutex::new(None),
            clock,
            refresh_before: REFRESH_BEFORE,
            ttl_without_expiry: TTL_WITHOUT_EXPIRY,
        }
    }

    /// The cached credentials, or new ones from `fetch` when there are none or they are
    /// due for refresh. Callers wait for one fetch in flight instead of starting their
    /// own. When a refresh fails while the cached credentials have not yet expired, those
    /// are returned (and the failure logged without secrets).
    pub(crate) async fn get_or_refresh<F, Fut>(
        &self,
        fetch: F,
    ) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        let mut slot = self.slot.lock().await;
        let now = self.clock.now();
        if let Some(e) = slot.as_ref().filter(|e| now < e.refresh_at) {
            return Ok(e.credentials.clone());
        }
        match fetch().await {
            Ok(credentials) => {
                let now = self.clock.now();
                let refresh_at = match credentials.expiry() {
                    Some(exp) => exp.saturating_sub(self.refresh_before.as_secs() as i64),
                    None => now.saturating_add(self.ttl_without_expiry.as_secs() as i64),
                };
                tracing::debug!(
                    expiry = credentials.expiry(),
                    refresh_at,
                    "credentials refreshed"
                );
                *slot = Some(Entry {
                    credentials: credentials.clone(),
                    refresh_at,
                });
                Ok(credentials)
            }
            Err(error) => match slot.as_ref() {
                Some(e) if e.credentials.expiry().is_none_or(|exp| now < exp) => {
                    tracing::warn!(%error, "credentials refresh failed; using the cached ones until they expire");
                    Ok(e.credentials.clone())
                }
                _ => Err(error),
            },
        }
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("refresh_before", &self.refresh_before)
            .field("ttl_without_expiry", &self.ttl_without_expiry)
            .finish_non_exhaustive()
    }
}

/// Wraps a provider: its credentials are kept until five minutes before they expire
/// (fifteen minutes when they carry no expiry), and one fetch at a time runs however
/// many calls wait.
#[derive(Debug)]
pub struct Cached<P> {
    inner: P,
    cache: CredentialsCache,
}

impl<P: ProvideCredentials> Cached<P> {
    /// Caches `inner`'s credentials, on the system clock.
    pub fn new(inner: P) -> Self {
        Cached {
            inner,
            cache: CredentialsCache::new(Clock::system()),
        }
    }
    /// The clock expiries are compared with.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.cache.clock = clock;
        self
    }
    /// How long before the expiry to fetch again (default 5 minutes).
    pub fn refresh_before(mut self, lead: Duration) -> Self {
        self.cache.refresh_before = lead;
        self
    }
    /// How long to keep credentials that carry no expiry (default 15 minutes).
    pub fn ttl_without_expiry(mut self, ttl: Duration) -> Self {
        self.cache.ttl_without_expiry = ttl;
        self
    }
}

impl<P: ProvideCredentials> ProvideCredentials for Cached<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(
            self.cache
                .get_or_refresh(|| self.inner.provide_credentials()),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;

    /// Counts fetches; each answers credentials expiring `lifetime` after the clock.
    #[derive(Debug)]
    struct Counting {
        fetches: Arc<AtomicUsize>,
        now: Arc<AtomicI64>,
        lifetime: i64,
        fail_from: usize,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            Box::pin(async move {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
                if n >= self.fail_from {
                    return Err(CredentialsError::unavailable("down"));
                }
                Ok(Credentials::new(format!("id-{n}"), "s")
                    .with_expiry(self.now.load(Ordering::SeqCst) + self.lifetime))
            })
        }
    }

    fn setup(
        lifetime: i64,
        fail_from: usize,
    ) -> (Cached<Counting>, Arc<AtomicUsize>, Arc<AtomicI64>) {
        let fetches = Arc::new(AtomicUsize::new(0));
        let now = Arc::new(AtomicI64::new(1_000_000));
        let clock_now = now.clone();
        let cached = Cached::new(Counting {
            fetches: fetches.clone(),
            now: now.clone(),
            lifetime,
            fail_from,
        })
        .clock(Clock::new(move || clock_now.load(Ordering::SeqCst)));
        (cached, fetches, now)
    }

    #[tokio::test]
    async fn credentials_expiring_within_the_lead_are_fetched_again() {
        // Expiring 1 s ahead: inside the 5-minute lead, so each call fetches.
        let (cached, fetches, _) = setup(1, usize::MAX);
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id(),
            "id-1"
        );
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id(),
            "id-2"
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn credentials_are_kept_until_the_lead_then_refreshed() {
        let (cached, fetches, now) = setup(3600, usize::MAX);
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id(),
            "id-1"
        );
        now.fetch_add(3600 - 301, Ordering::SeqCst);
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id(),
            "id-1"
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        now.fetch_add(2, Ordering::SeqCst);
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id(),
            "id-2"
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_fetch() {
        let (cached, fetches, _) = setup(3600, usize::MAX);
        let cached = Arc::new(cached);
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let c = cached.clone();
                tokio::spawn(async move { c.provide_credentials().await })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap().access_key_id(), "id-1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_unexpired_credentials_and_fails_after_expiry() {
        let (cached, _, now) = setup(600, 2);
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id(),
            "id-1"
        );
        now.fetch_add(400, Ordering::SeqCst); // inside the lead, not expired
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id(),
            "id-1"
        );
        now.fetch_add(300, Ordering::SeqCst); // expired
        let e = cached.provide_credentials().await.unwrap_err();
        assert!(e.is_retryable(), "{e}");
    }
}
