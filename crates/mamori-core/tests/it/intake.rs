//! The questionnaire, validation, classification and scan prefill.
