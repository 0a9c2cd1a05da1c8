//! The stored codes of the enumerations, and back.

use sportello_kernel::{Error, Result};

use crate::interface::*;

macro_rules! codes {
    ($to:ident, $from:ident, $ty:ty { $($variant:ident => $code:literal),* $(,)? }) => {
        pub fn $to(value: $ty) -> &'static str {
            match value { $(<$ty>::$variant => $code),* }
        }
        pub fn $from(code: &str) -> Result<$ty> {
            match code {
                $($code => Ok(<$ty>::$variant),)*
                _ => Err(Error::internal("unknown code stored")),
            }
        }
    };
}

codes!(reminder_outcome, parse_reminder_outcome, ReminderOutcome {
    Queued => "QUEUED", NoConsent => "NO_CONSENT", NoContact => "NO_CONTACT", TooLate => "TOO_LATE",
});
codes!(sex, parse_sex, Sex { Female => "F", Male => "M", Other => "X" });
codes!(consent, parse_consent, ConsentPurpose {
    CaseManagement => "case_management", ReferralSharing => "referral_sharing",
    AnonymisedStatistics => "anonymised_statistics", ContactByMessage => "contact_by_message",
});
codes!(status, parse_status, CaseStatus { Intake => "intake", Active => "active", Monitoring => "monitoring", Closed => "closed" });
codes!(channel, parse_channel, Channel { Desk => "desk", Phone => "phone", Outreach => "outreach", Online => "online" });
codes!(need, parse_need, NeedCode {
    DocumentsLegal => "documents_legal", Housing => "housing", Work => "work", Health => "health",
    School => "school", ItalianLanguage => "italian_language", Family => "family", Welfare => "welfare",
    DigitalSkills => "digital_skills", Other => "other",
});
codes!(source, parse_source, NeedSource { Expressed => "expressed", Detected => "detected" });
codes!(need_status, parse_need_status, NeedStatus { Open => "open", Addressed => "addressed", Unresolved => "unresolved" });
codes!(intervention, parse_intervention, InterventionKind {
    Orientation => "orientation", Accompaniment => "accompaniment", Mediation => "mediation",
    LegalAdvice => "legal_advice", DocumentAssistance => "document_assistance",
    Information => "information", Referral => "referral", Other => "other",
});
codes!(referral_status, parse_referral_status, ReferralStatus {
    Sent => "sent", Accepted => "accepted", Rejected => "rejected", Completed => "completed", Failed => "failed",
});
codes!(goal_status, parse_goal_status, GoalStatus { Open => "open", Achieved => "achieved", Dropped => "dropped" });
codes!(step_owner, parse_step_owner, StepOwner { Operator => "operator", Person => "person", Volunteer => "volunteer" });
codes!(step_status, parse_step_status, StepStatus { Todo => "todo", Done => "done", Cancelled => "cancelled" });
codes!(appointment_status, parse_appointment_status, AppointmentStatus { Booked => "booked", Cancelled => "cancelled" });
codes!(household_role, parse_household_role, HouseholdRole {
    Head => "head", Partner => "partner", Child => "child", Parent => "parent", Sibling => "sibling", Other => "other",
});
codes!(person_warning, parse_person_warning, PersonWarningCode {
    CodiceFiscaleSex => "sex", CodiceFiscaleBirthDate => "birth_date",
    CodiceFiscaleBirthplace => "birthplace", PossiblySamePerson => "possibly_same_person",
});
