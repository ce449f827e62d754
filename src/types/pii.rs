//! PII policies and entity types: the 44 values of the March 2026 spec and
//! the 10 added since (`../shared/api-2026.md` §2.1). Both stay open.
//!
//! They are two types, as in the spec, because one is what you ask to redact
//! and the other is what Entity Detection found; the lists may drift apart.

use super::string_enum::string_enum;

/// Declares both enumerations from the one list of values the spec gives
/// them, so they cannot drift apart by accident.
macro_rules! pii_kinds {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal,)+) => {
        string_enum! {
            /// A kind of personally identifiable information to redact (`redact_pii_policies`).
            pub enum PiiPolicy {
                $($(#[$doc])* $variant = $wire,)+
            }
        }

        string_enum! {
            /// The kind of an entity found by Entity Detection.
            pub enum EntityType {
                $($(#[$doc])* $variant = $wire,)+
            }
        }
    };
}

pii_kinds! {
    /// Account number.
    AccountNumber = "account_number",
    /// Banking information.
    BankingInformation = "banking_information",
    /// Blood type.
    BloodType = "blood_type",
    /// Credit card CVV.
    CreditCardCvv = "credit_card_cvv",
    /// Credit card expiration.
    CreditCardExpiration = "credit_card_expiration",
    /// Credit card number.
    CreditCardNumber = "credit_card_number",
    /// Date.
    Date = "date",
    /// Date interval.
    DateInterval = "date_interval",
    /// Date of birth.
    DateOfBirth = "date_of_birth",
    /// Driver's license.
    DriversLicense = "drivers_license",
    /// Drug.
    Drug = "drug",
    /// Duration.
    Duration = "duration",
    /// Email address.
    EmailAddress = "email_address",
    /// Event.
    Event = "event",
    /// Filename.
    Filename = "filename",
    /// Gender (2026).
    Gender = "gender",
    /// Gender sexuality.
    GenderSexuality = "gender_sexuality",
    /// Healthcare number.
    HealthcareNumber = "healthcare_number",
    /// Injury.
    Injury = "injury",
    /// IP address.
    IpAddress = "ip_address",
    /// Language.
    Language = "language",
    /// Location.
    Location = "location",
    /// Street address (2026).
    LocationAddress = "location_address",
    /// Street, without the number (2026).
    LocationAddressStreet = "location_address_street",
    /// City (2026).
    LocationCity = "location_city",
    /// Geographic coordinates (2026).
    LocationCoordinate = "location_coordinate",
    /// Country (2026).
    LocationCountry = "location_country",
    /// State or region (2026).
    LocationState = "location_state",
    /// Postal code (2026).
    LocationZip = "location_zip",
    /// Marital status.
    MaritalStatus = "marital_status",
    /// Medical condition.
    MedicalCondition = "medical_condition",
    /// Medical process.
    MedicalProcess = "medical_process",
    /// Money amount.
    MoneyAmount = "money_amount",
    /// Nationality.
    Nationality = "nationality",
    /// Number sequence.
    NumberSequence = "number_sequence",
    /// Occupation.
    Occupation = "occupation",
    /// Organization.
    Organization = "organization",
    /// Medical facility (2026).
    OrganizationMedicalFacility = "organization_medical_facility",
    /// Passport number.
    PassportNumber = "passport_number",
    /// Password.
    Password = "password",
    /// Person age.
    PersonAge = "person_age",
    /// Person name.
    PersonName = "person_name",
    /// Phone number.
    PhoneNumber = "phone_number",
    /// Physical attribute.
    PhysicalAttribute = "physical_attribute",
    /// Political affiliation.
    PoliticalAffiliation = "political_affiliation",
    /// Religion.
    Religion = "religion",
    /// Sexuality (2026).
    Sexuality = "sexuality",
    /// Statistics.
    Statistics = "statistics",
    /// Time.
    Time = "time",
    /// URL.
    Url = "url",
    /// US Social Security Number.
    UsSocialSecurityNumber = "us_social_security_number",
    /// Username.
    Username = "username",
    /// Vehicle ID.
    VehicleId = "vehicle_id",
    /// Zodiac sign.
    ZodiacSign = "zodiac_sign",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_and_entity_types_share_the_spec_values_and_the_2026_ones() {
        assert_eq!(PiiPolicy::KNOWN.len(), 54);
        assert!(PiiPolicy::KNOWN.contains(&"location_zip"));
        assert_eq!(PiiPolicy::KNOWN, EntityType::KNOWN);
        assert_eq!(
            PiiPolicy::UsSocialSecurityNumber.as_str(),
            "us_social_security_number"
        );
        assert_eq!(
            "credit_card_cvv".parse::<EntityType>(),
            Ok(EntityType::CreditCardCvv)
        );
    }
}
