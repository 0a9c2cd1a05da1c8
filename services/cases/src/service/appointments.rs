//! Appointments: booking, cancelling, listing.

use std::collections::HashMap;

use sportello_kernel::messages::{
    self, Channel as MessageChannel, MessageKind, MessageLanguage, Outgoing, Template,
};

use super::*;

impl CasesService {
    pub(super) async fn book_appointment(
        &self,
        ctx: &Context,
        req: BookAppointment,
    ) -> Result<Vec<Appointment>> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        if !(5..=8 * 60).contains(&req.duration_minutes) {
            return Err(Error::on(
                "durationMinutes",
                sportello_kernel::Reason::OutOfRange {
                    min: 5,
                    max: 8 * 60,
                },
            ));
        }
        if !(1..=52).contains(&req.occurrences) {
            return Err(Error::on(
                "occurrences",
                sportello_kernel::Reason::OutOfRange { min: 1, max: 52 },
            ));
        }
        let now = ctx.now();
        let zone = ctx.time_zone;
        // Weekly occurrences keep the first one's local hour in the tenant's zone, whatever
        // clock change lies between (10:00 stays 10:00 after the last Sunday of March).
        let occurrence = |week: u32| match week {
            0 => req.starts_at,
            _ => zone.shift_local(req.starts_at, chrono::Duration::weeks(i64::from(week))),
        };
        // Every occurrence, the last one included, must start within the booking window.
        dates::booking("startsAt", req.starts_at, now)?;
        dates::booking("occurrences", occurrence(req.occurrences - 1), now)?;
        if req.remind_hours_before.is_some_and(|h| h > 24 * 14) {
            return Err(Error::on(
                "remindHoursBefore",
                sportello_kernel::Reason::OutOfRange {
                    min: 0,
                    max: 24 * 14,
                },
            ));
        }
        // No lead time given: the tenant's default (none when it has none); 0: no reminder.
        let remind_hours_before = match req.remind_hours_before {
            Some(0) => None,
            Some(h) => Some(h),
            None => self
                .tenancy
                .appointment_settings(ctx, ())
                .await?
                .reminder_hours_before
                .and_then(|h| u32::try_from(h).ok()),
        };
        self.tenancy.get_desk(ctx, req.desk_id).await.map_err(|_| {
            Error::on(
                "deskId",
                sportello_kernel::Reason::NoSuch {
                    object: sportello_kernel::error::Object::Desk,
                },
            )
        })?;
        let operator = req.operator_id.unwrap_or(user);
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let p = self
            .visible_person(&tx, ctx, req.person_id.uuid())
            .await
            .map_err(|_| {
                Error::on(
                    "personId",
                    sportello_kernel::Reason::NoSuch {
                        object: sportello_kernel::error::Object::Person,
                    },
                )
            })?;
        if let Some(case_id) = req.case_id {
            let c = self
                .locked_case(&tx, ctx, case_id.uuid())
                .await
                .map_err(no_such_case)?;
            open_or_conflict(&c)?;
            if c.person_id != p.id {
                return Err(Error::on(
                    "caseId",
                    sportello_kernel::Reason::OtherPersonsCase,
                ));
            }
        }
        // Concurrent bookings of the same operator or desk wait for each other, so that the
        // overlap check below sees every committed booking.
        tx.lock_keys(&[
            format!("operator:{}", operator.uuid()),
            format!("desk:{}", req.desk_id.uuid()),
        ])
        .await?;
        let series = (req.occurrences > 1).then(Uuid::now_v7);
        let length = chrono::Duration::minutes(i64::from(req.duration_minutes));
        let booked = codes::appointment_status(AppointmentStatus::Booked);
        let mut out = Vec::with_capacity(req.occurrences as usize);
        for week in 0..req.occurrences {
            let starts_at = occurrence(week);
            let ends_at = starts_at + length;
            // No operator in two places at once; the unique index guards the slot itself.
            let clash = tx
                .scoped::<appointment::Entity>()?
                .filter(appointment::Column::Status.eq(booked))
                .filter(
                    sea_orm::Condition::any()
                        .add(appointment::Column::OperatorId.eq(operator.uuid()))
                        .add(appointment::Column::DeskId.eq(req.desk_id.uuid())),
                )
                .filter(appointment::Column::StartsAt.lt(ends_at))
                .filter(appointment::Column::EndsAt.gt(starts_at))
                .one(tx.conn())
                .await?;
            if clash.is_some() {
                return Err(
                    Error::on("startsAt", sportello_kernel::Reason::SlotTaken).saying(format!(
                        "the slot of {} is already taken at this desk or by this operator",
                        zone.local(starts_at).format("%Y-%m-%d %H:%M %Z")
                    )),
                );
            }
            let model = appointment::ActiveModel {
                tenant_id: Set(tenant.uuid()),
                version: Set(1),
                id: Set(AppointmentId::new().uuid()),
                desk_id: Set(req.desk_id.uuid()),
                operator_id: Set(operator.uuid()),
                person_id: Set(p.id),
                case_id: Set(req.case_id.map(|c| c.uuid())),
                series_id: Set(series),
                starts_at: Set(starts_at),
                ends_at: Set(ends_at),
                status: Set(booked.to_owned()),
                // A lead time is counted on the local clock: 24 hours before 10:00 is 10:00
                // the day before, even across a clock change.
                remind_at: Set(remind_hours_before
                    .map(|h| zone.shift_local(starts_at, -chrono::Duration::hours(i64::from(h))))),
                reminder_sent_at: Set(None),
                reminder_outcome: Set(None),
                created_by: Set(user.uuid()),
                created_at: Set(now),
            }
            .insert(tx.conn())
            .await
            .map_err(|err| match Error::from(err) {
                e if e.code == ErrorCode::Conflict => {
                    Error::on("startsAt", sportello_kernel::Reason::SlotTaken)
                }
                e => e,
            })?;
            self.audit(
                &tx,
                ctx,
                "create",
                "appointment",
                model.id,
                &["desk", "operator", "person", "time"],
            )
            .await?;
            out.push(domain::to_appointment(model)?);
        }
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn cancel_appointment(
        &self,
        ctx: &Context,
        req: CancelAppointment,
    ) -> Result<Vec<Appointment>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<appointment::Entity>(appointment::Column::Id, req.id.uuid())
            .await?;
        self.visible_person(&tx, ctx, found.person_id).await?;
        let booked = codes::appointment_status(AppointmentStatus::Booked);
        if found.status != booked {
            return Err(Error::new(sportello_kernel::Reason::AlreadyCancelled));
        }
        let mut targets = vec![found.clone()];
        if let (true, Some(series)) = (req.following, found.series_id) {
            targets = tx
                .scoped::<appointment::Entity>()?
                .filter(appointment::Column::SeriesId.eq(series))
                .filter(appointment::Column::StartsAt.gte(found.starts_at))
                .filter(appointment::Column::Status.eq(booked))
                .order_by_asc(appointment::Column::StartsAt)
                .all(tx.conn())
                .await?;
        }
        let mut out = Vec::with_capacity(targets.len());
        for target in targets {
            let id = target.id;
            let mut model = target.into_active_model();
            model.status = Set(codes::appointment_status(AppointmentStatus::Cancelled).to_owned());
            let model = tx
                .update_versioned::<appointment::Entity>(id, None, model)
                .await?;
            self.audit(&tx, ctx, "update", "appointment", model.id, &["status"])
                .await?;
            out.push(domain::to_appointment(model)?);
        }
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn list_appointments(
        &self,
        ctx: &Context,
        req: ListAppointments,
    ) -> Result<Paged<Appointment>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let mut select = tx.scoped::<appointment::Entity>()?;
        if let Some(desk) = req.desk_id {
            select = select.filter(appointment::Column::DeskId.eq(desk.uuid()));
        }
        if let Some(person) = req.person_id {
            let p = self.visible_person(&tx, ctx, person.uuid()).await?;
            select = select.filter(appointment::Column::PersonId.eq(p.id));
        }
        if !ctx.actor.territories.is_empty() {
            // Only the appointments of persons followed in the actor's territories.
            let visible = tx
                .scoped_subquery::<person::Entity>()?
                .column(person::Column::Id)
                .and_where(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()))
                .to_owned();
            select = select.filter(appointment::Column::PersonId.in_subquery(visible));
        }
        if let Some(from) = req.from {
            let from = dates::filter("from", from)?;
            select = select.filter(appointment::Column::StartsAt.gte(from));
        }
        if let Some(to) = req.to {
            let to = dates::filter("to", to)?;
            select = select.filter(appointment::Column::StartsAt.lt(to));
        }
        let rows = tx.page(select, appointment::Column::Id, &req.page).await?;
        let mut rows = rows.try_map(domain::to_appointment)?;
        let ids: Vec<Uuid> = rows.items.iter().map(|a| a.id.uuid()).collect();
        for delivery in messages::deliveries(&tx, &ids).await? {
            if let Some(a) = rows
                .items
                .iter_mut()
                .find(|a| Some(a.id.uuid()) == delivery.reference)
            {
                a.reminder_deliveries.push(delivery);
            }
        }
        tx.finish().await?;
        Ok(rows)
    }

    /// The reminders come due (at `now`) in the context's tenant, booked and not yet dealt with,
    /// oldest due first, at most `limit`; with their desks, for the caller to name them.
    pub(crate) async fn due_reminders(
        &self,
        tenant: sportello_kernel::TenantId,
        now: chrono::DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<appointment::Model>> {
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let rows = tx
            .scoped::<appointment::Entity>()?
            .filter(appointment::Column::ReminderSentAt.is_null())
            .filter(appointment::Column::RemindAt.lte(now))
            .order_by_asc(appointment::Column::RemindAt)
            .limit(limit)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        Ok(rows)
    }

    /// Deals with the due reminders `ids` of the context's tenant at `now`: queues a message in
    /// the person's language (the first of their languages among it/en/fr/ar/ro, else Italian)
    /// by e-mail, or by SMS when they have no e-mail, only with their consent to be contacted
    /// by message; records the outcome on each appointment in the same transaction. `desks`
    /// names the desks. A reminder another pass dealt with meanwhile is left alone. Returns
    /// the outcomes.
    pub(crate) async fn send_reminders(
        &self,
        tenant: sportello_kernel::TenantId,
        zone: sportello_kernel::Zone,
        now: chrono::DateTime<Utc>,
        ids: &[Uuid],
        desks: &HashMap<Uuid, String>,
    ) -> Result<Vec<ReminderOutcome>> {
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(found) = tx
                .find_for_update::<appointment::Entity>(appointment::Column::Id, *id)
                .await
                .ok()
                .filter(|a| a.reminder_sent_at.is_none())
            else {
                continue;
            };
            let booked = codes::appointment_status(AppointmentStatus::Booked);
            let outcome = if found.status != booked || found.starts_at <= now {
                ReminderOutcome::TooLate
            } else {
                self.queue_reminder(&tx, &found, zone, now, desks).await?
            };
            let version = found.version;
            let mut model = found.into_active_model();
            model.reminder_sent_at = Set(Some(now));
            model.reminder_outcome = Set(Some(codes::reminder_outcome(outcome).to_owned()));
            tx.update_versioned::<appointment::Entity>(*id, Some(version), model)
                .await?;
            out.push(outcome);
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn queue_reminder(
        &self,
        tx: &Tx,
        found: &appointment::Model,
        zone: sportello_kernel::Zone,
        now: chrono::DateTime<Utc>,
        desks: &HashMap<Uuid, String>,
    ) -> Result<ReminderOutcome> {
        let consented = tx
            .scoped::<consent::Entity>()?
            .filter(consent::Column::PersonId.eq(found.person_id))
            .filter(consent::Column::Purpose.eq(codes::consent(ConsentPurpose::ContactByMessage)))
            .order_by_desc(consent::Column::RecordedAt)
            .order_by_desc(consent::Column::Id)
            .one(tx.conn())
            .await?
            .is_some_and(|c| c.given);
        if !consented {
            return Ok(ReminderOutcome::NoConsent);
        }
        let p = tx
            .find::<person::Entity>(person::Column::Id, found.person_id)
            .await?;
        let language =
            MessageLanguage::first_of(p.languages.split(',').filter_map(|l| l.split(':').next()));
        let when = zone
            .local(found.starts_at)
            .format("%d/%m/%Y %H:%M")
            .to_string();
        let desk = desks
            .get(&found.desk_id)
            .map(String::as_str)
            .unwrap_or_default();
        let template = Template::AppointmentReminder { desk, when: &when };
        let (channel, recipient, content) = match (&p.email, &p.phone) {
            (Some(email), _) if !email.is_empty() => (
                MessageChannel::Email,
                email.clone(),
                template.email(language),
            ),
            (_, Some(phone)) if !phone.is_empty() => {
                (MessageChannel::Sms, phone.clone(), template.sms(language))
            }
            _ => return Ok(ReminderOutcome::NoContact),
        };
        messages::queue(
            tx,
            now,
            Outgoing {
                kind: MessageKind::AppointmentReminder,
                channel,
                language,
                reference: Some(found.id),
                recipient,
                content,
            },
        )?;
        Ok(ReminderOutcome::Queued)
    }
}
