//! Annual agreement use cases: a pairing's targets for one calendar year, one record per year.

use crate::error::{RegistryError, Result};
use crate::rules::agreement::AgreementDraft;
use crate::rules::mask::{self, Selected};
use crate::rules::validate::Stamp;
use crate::store::{Expect, Scan, Store, Txn};
use eastwest_domain::model::{Agreement, Stored};
use eastwest_domain::names::{agreement_name, pairing_name, parse_year_id};

use super::codec::{check_etag, etag, from_json, now_micros, to_json};
use super::listing::ListQuery;
use super::references::ref_deltas;
use super::{Page, Registry, keys};

/// An agreement's id: its year, four digits from 2000 to 2100 (INVALID_ARGUMENT at `agreement_id`).
pub(crate) fn year_id(id: &str) -> Result<i32> {
    parse_year_id(id).map_err(|e| RegistryError::invalid("agreement_id", e))
}

impl<S: Store> Registry<S> {
    /// Every agreement of a pairing, in year order, read at `at` where the store keeps history.
    pub(super) async fn agreements_at(&self, pairing: &str, at: Option<u64>) -> Result<Vec<Stored<Agreement>>> {
        // At most one per year from 2000 to 2100: one scan holds them all.
        let scanned = self.store.scan(Scan::new(keys::agreements_of(pairing), 128).at(at)).await?;
        scanned
            .entries
            .iter()
            .map(|(k, v)| Ok(Stored { record: from_json(k, &v.value)?, etag: etag(v.revision) }))
            .collect()
    }

    /// Records the agreement of `pairing` for the year `id`; the pairing must exist and have none
    /// for that year yet (ALREADY_EXISTS).
    pub async fn create_agreement(&self, pairing: &str, draft: AgreementDraft, id: &str) -> Result<Stored<Agreement>> {
        let year = year_id(id)?;
        let now = now_micros();
        let agreement = draft.validate("agreement", pairing, year, &Stamp::created(id, now))?;
        let encoded = to_json("agreement", &agreement)?;
        let name = agreement_name(pairing, year);
        let (agreement, revision) = with_retry!(self, &name, {
            let mut txn = Txn::default();
            let Some(p) = self.store.get(keys::pairing(pairing)).await? else {
                return Err(RegistryError::not_found_at("parent", pairing_name(pairing)));
            };
            if self.store.get(keys::agreement(pairing, year)).await?.is_some() {
                return Err(RegistryError::AlreadyExists {
                    resource: name.clone(),
                    detail: Some(format!("{name} exists: change it with UpdateAgreement")),
                });
            }
            txn.expect(keys::agreement(pairing, year), Expect::Absent);
            txn.expect(keys::pairing(pairing), Expect::Revision(p.revision));
            self.adjust_refs(&mut txn, ref_deltas([keys::pairing_refs(pairing)], [])).await?;
            txn.put_record(keys::agreement(pairing, year), encoded.clone());
            (txn, agreement.clone())
        });
        Ok(Stored { record: agreement, etag: etag(revision) })
    }

    pub async fn get_agreement(&self, pairing: &str, year: i32) -> Result<Stored<Agreement>> {
        self.get_stored(keys::agreement(pairing, year), || agreement_name(pairing, year)).await
    }

    /// Agreements of one pairing in year order; NOT_FOUND if the pairing does not exist.
    pub async fn list_agreements(&self, pairing: &str, page_size: usize, page_token: &str) -> Result<Page<Agreement>> {
        if self.store.get(keys::pairing(pairing)).await?.is_none() {
            return Err(RegistryError::not_found_at("parent", pairing_name(pairing)));
        }
        let filter = format!("agreements of {pairing}");
        let query = ListQuery {
            prefix: keys::agreements_of(pairing),
            record_prefix: None,
            filter: &filter,
            page_size,
            page_token,
        };
        self.list(query, |_: &Agreement, _| true).await
    }

    /// Replaces the selected fields; ABORTED if `given_etag` is set and stale.
    pub async fn update_agreement(
        &self,
        pairing: &str,
        year: i32,
        given_etag: &str,
        draft: AgreementDraft,
        fields: &Selected<AgreementDraft>,
    ) -> Result<Stored<Agreement>> {
        let name = agreement_name(pairing, year);
        let (agreement, revision) = with_retry!(self, &name, {
            let Some((current, rev)) = self.load::<Agreement>(keys::agreement(pairing, year)).await? else {
                return Err(RegistryError::not_found(name.clone()));
            };
            check_etag(&name, given_etag, rev)?;
            let mut merged = AgreementDraft::from_agreement(&current);
            mask::apply(&mut merged, draft.clone(), fields);
            let stamp = Stamp { id: year.to_string(), create_time: current.create_time, update_time: now_micros() };
            let updated = merged.validate("agreement", pairing, year, &stamp)?;
            let mut txn = Txn::default();
            txn.expect(keys::agreement(pairing, year), Expect::Revision(rev));
            txn.put_record(keys::agreement(pairing, year), to_json("agreement", &updated)?);
            (txn, updated)
        });
        Ok(Stored { record: agreement, etag: etag(revision) })
    }

    pub async fn delete_agreement(&self, pairing: &str, year: i32, given_etag: &str) -> Result<()> {
        let name = agreement_name(pairing, year);
        with_retry!(self, &name, {
            let Some(v) = self.store.get(keys::agreement(pairing, year)).await? else {
                return Err(RegistryError::not_found(name.clone()));
            };
            check_etag(&name, given_etag, v.revision)?;
            let mut txn = Txn::default();
            txn.expect(keys::agreement(pairing, year), Expect::Revision(v.revision));
            self.adjust_refs(&mut txn, ref_deltas([], [keys::pairing_refs(pairing)])).await?;
            txn.delete(keys::agreement(pairing, year));
            (txn, ())
        });
        Ok(())
    }
}
