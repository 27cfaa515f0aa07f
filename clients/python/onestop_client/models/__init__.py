"""Contains all the data models used in inputs/outputs"""

from .api_key_created import ApiKeyCreated
from .api_key_in import ApiKeyIn
from .api_key_in_role import ApiKeyInRole
from .api_key_out import ApiKeyOut
from .application_in import ApplicationIn
from .application_in_applicant import ApplicationInApplicant
from .application_in_path import ApplicationInPath
from .application_in_trigger_type_0 import ApplicationInTriggerType0
from .application_out import ApplicationOut
from .audit_entry_out import AuditEntryOut
from .audit_entry_out_details import AuditEntryOutDetails
from .audit_page import AuditPage
from .audit_verification import AuditVerification
from .body_create_roster_import import BodyCreateRosterImport
from .body_create_roster_import_source import BodyCreateRosterImportSource
from .call_service_body import CallServiceBody
from .call_service_body_input import CallServiceBodyInput
from .call_service_response_200 import CallServiceResponse200
from .call_service_response_200_infcode import CallServiceResponse200Infcode
from .call_service_response_200_output import CallServiceResponse200Output
from .case_in import CaseIn
from .case_out import CaseOut
from .case_row_out import CaseRowOut
from .catalog_item_in import CatalogItemIn
from .catalog_item_in_grade import CatalogItemInGrade
from .catalog_item_out import CatalogItemOut
from .catalog_item_out_grade import CatalogItemOutGrade
from .category_in import CategoryIn
from .category_in_category import CategoryInCategory
from .category_out import CategoryOut
from .category_out_category import CategoryOutCategory
from .category_out_source import CategoryOutSource
from .check_fund_in import CheckFundIn
from .check_in import CheckIn
from .check_out import CheckOut
from .check_out_result import CheckOutResult
from .claim_in import ClaimIn
from .consistency_proof_out import ConsistencyProofOut
from .coverage_all import CoverageAll
from .coverage_cell import CoverageCell
from .coverage_cell_category import CoverageCellCategory
from .coverage_county import CoverageCounty
from .coverage_out import CoverageOut
from .coverage_out_scheme import CoverageOutScheme
from .decision_in import DecisionIn
from .decision_in_decision import DecisionInDecision
from .decision_out import DecisionOut
from .employer_payment_in import EmployerPaymentIn
from .enrolment_in import EnrolmentIn
from .error_item import ErrorItem
from .event_fund import EventFund
from .event_out import EventOut
from .event_out_event import EventOutEvent
from .event_out_sign import EventOutSign
from .event_page import EventPage
from .export_enrolment_gaps_format import ExportEnrolmentGapsFormat
from .export_enrolment_gaps_reason_type_0 import ExportEnrolmentGapsReasonType0
from .export_enrolment_gaps_scheme import ExportEnrolmentGapsScheme
from .export_poverty_ledger_format import ExportPovertyLedgerFormat
from .export_reconciliation_events_format import ExportReconciliationEventsFormat
from .export_roster_ledger_format import ExportRosterLedgerFormat
from .fund_difference import FundDifference
from .fund_figures import FundFigures
from .fund_total import FundTotal
from .gap_out import GapOut
from .gap_out_categories_item import GapOutCategoriesItem
from .gap_out_reason import GapOutReason
from .gaps_page_out import GapsPageOut
from .gaps_page_out_reason_type_0 import GapsPageOutReasonType0
from .gaps_page_out_scheme import GapsPageOutScheme
from .get_enrolment_coverage_scheme import GetEnrolmentCoverageScheme
from .health import Health
from .hospital_in import HospitalIn
from .hospital_in_level import HospitalInLevel
from .hospital_out import HospitalOut
from .hospital_out_level import HospitalOutLevel
from .id_difference import IdDifference
from .import_list import ImportList
from .import_out import ImportOut
from .import_out_file_format import ImportOutFileFormat
from .import_out_source import ImportOutSource
from .import_summary import ImportSummary
from .import_summary_file_format import ImportSummaryFileFormat
from .import_summary_source import ImportSummarySource
from .inclusion_proof_out import InclusionProofOut
from .item_in import ItemIn
from .item_out import ItemOut
from .job_error import JobError
from .job_out import JobOut
from .job_out_result_type_0 import JobOutResultType0
from .job_out_status import JobOutStatus
from .job_request import JobRequest
from .layer_out import LayerOut
from .layer_out_params import LayerOutParams
from .ledger_category_out import LedgerCategoryOut
from .ledger_category_out_category import LedgerCategoryOutCategory
from .ledger_category_out_source import LedgerCategoryOutSource
from .ledger_fund import LedgerFund
from .ledger_in_county import LedgerInCounty
from .ledger_in_county_out import LedgerInCountyOut
from .ledger_out import LedgerOut
from .ledger_page_out import LedgerPageOut
from .ledger_person_out import LedgerPersonOut
from .ledger_row import LedgerRow
from .ledger_scheme_out import LedgerSchemeOut
from .ledger_scheme_out_recorded_by_type_0 import LedgerSchemeOutRecordedByType0
from .ledger_settlements_out import LedgerSettlementsOut
from .list_enrolment_gaps_reason_type_0 import ListEnrolmentGapsReasonType0
from .list_enrolment_gaps_scheme import ListEnrolmentGapsScheme
from .list_proxy_payment_runs_scheme_type_0 import ListProxyPaymentRunsSchemeType0
from .list_roster_imports_source_type_0 import ListRosterImportsSourceType0
from .patient_in import PatientIn
from .patient_out import PatientOut
from .payer_amount import PayerAmount
from .payer_out import PayerOut
from .person_in import PersonIn
from .person_out import PersonOut
from .policy_document_out import PolicyDocumentOut
from .policy_document_out_document import PolicyDocumentOutDocument
from .policy_version_out import PolicyVersionOut
from .problem import Problem
from .progress import Progress
from .project_in import ProjectIn
from .project_out import ProjectOut
from .public_key_out import PublicKeyOut
from .ready import Ready
from .reconciliation_totals import ReconciliationTotals
from .recovery_in import RecoveryIn
from .recovery_in_debtor import RecoveryInDebtor
from .recovery_out import RecoveryOut
from .reminder_in import ReminderIn
from .reminder_out import ReminderOut
from .repayment_in import RepaymentIn
from .repayment_out import RepaymentOut
from .reversal_in import ReversalIn
from .roster_in import RosterIn
from .roster_out import RosterOut
from .row_error_out import RowErrorOut
from .run_in import RunIn
from .run_in_scheme import RunInScheme
from .run_line import RunLine
from .run_line_category import RunLineCategory
from .run_list import RunList
from .run_out import RunOut
from .run_out_scheme import RunOutScheme
from .run_out_status import RunOutStatus
from .run_summary import RunSummary
from .run_summary_scheme import RunSummaryScheme
from .run_summary_status import RunSummaryStatus
from .settlement_in import SettlementIn
from .settlement_out import SettlementOut
from .settlement_out_status import SettlementOutStatus
from .skipped import Skipped
from .sums import Sums
from .top_up_in import TopUpIn
from .totals_out import TotalsOut
from .tree_head_out import TreeHeadOut
from .what_if_created import WhatIfCreated
from .what_if_in import WhatIfIn
from .what_if_in_policy_type_1 import WhatIfInPolicyType1
from .work_injury_ledger_out import WorkInjuryLedgerOut
from .work_injury_ledger_row import WorkInjuryLedgerRow
from .write_off_in import WriteOffIn

__all__ = (
    "ApiKeyCreated",
    "ApiKeyIn",
    "ApiKeyInRole",
    "ApiKeyOut",
    "ApplicationIn",
    "ApplicationInApplicant",
    "ApplicationInPath",
    "ApplicationInTriggerType0",
    "ApplicationOut",
    "AuditEntryOut",
    "AuditEntryOutDetails",
    "AuditPage",
    "AuditVerification",
    "BodyCreateRosterImport",
    "BodyCreateRosterImportSource",
    "CallServiceBody",
    "CallServiceBodyInput",
    "CallServiceResponse200",
    "CallServiceResponse200Infcode",
    "CallServiceResponse200Output",
    "CaseIn",
    "CaseOut",
    "CaseRowOut",
    "CatalogItemIn",
    "CatalogItemInGrade",
    "CatalogItemOut",
    "CatalogItemOutGrade",
    "CategoryIn",
    "CategoryInCategory",
    "CategoryOut",
    "CategoryOutCategory",
    "CategoryOutSource",
    "CheckFundIn",
    "CheckIn",
    "CheckOut",
    "CheckOutResult",
    "ClaimIn",
    "ConsistencyProofOut",
    "CoverageAll",
    "CoverageCell",
    "CoverageCellCategory",
    "CoverageCounty",
    "CoverageOut",
    "CoverageOutScheme",
    "DecisionIn",
    "DecisionInDecision",
    "DecisionOut",
    "EmployerPaymentIn",
    "EnrolmentIn",
    "ErrorItem",
    "EventFund",
    "EventOut",
    "EventOutEvent",
    "EventOutSign",
    "EventPage",
    "ExportEnrolmentGapsFormat",
    "ExportEnrolmentGapsReasonType0",
    "ExportEnrolmentGapsScheme",
    "ExportPovertyLedgerFormat",
    "ExportReconciliationEventsFormat",
    "ExportRosterLedgerFormat",
    "FundDifference",
    "FundFigures",
    "FundTotal",
    "GapOut",
    "GapOutCategoriesItem",
    "GapOutReason",
    "GapsPageOut",
    "GapsPageOutReasonType0",
    "GapsPageOutScheme",
    "GetEnrolmentCoverageScheme",
    "Health",
    "HospitalIn",
    "HospitalInLevel",
    "HospitalOut",
    "HospitalOutLevel",
    "IdDifference",
    "ImportList",
    "ImportOut",
    "ImportOutFileFormat",
    "ImportOutSource",
    "ImportSummary",
    "ImportSummaryFileFormat",
    "ImportSummarySource",
    "InclusionProofOut",
    "ItemIn",
    "ItemOut",
    "JobError",
    "JobOut",
    "JobOutResultType0",
    "JobOutStatus",
    "JobRequest",
    "LayerOut",
    "LayerOutParams",
    "LedgerCategoryOut",
    "LedgerCategoryOutCategory",
    "LedgerCategoryOutSource",
    "LedgerFund",
    "LedgerInCounty",
    "LedgerInCountyOut",
    "LedgerOut",
    "LedgerPageOut",
    "LedgerPersonOut",
    "LedgerRow",
    "LedgerSchemeOut",
    "LedgerSchemeOutRecordedByType0",
    "LedgerSettlementsOut",
    "ListEnrolmentGapsReasonType0",
    "ListEnrolmentGapsScheme",
    "ListProxyPaymentRunsSchemeType0",
    "ListRosterImportsSourceType0",
    "PatientIn",
    "PatientOut",
    "PayerAmount",
    "PayerOut",
    "PersonIn",
    "PersonOut",
    "PolicyDocumentOut",
    "PolicyDocumentOutDocument",
    "PolicyVersionOut",
    "Problem",
    "Progress",
    "ProjectIn",
    "ProjectOut",
    "PublicKeyOut",
    "Ready",
    "ReconciliationTotals",
    "RecoveryIn",
    "RecoveryInDebtor",
    "RecoveryOut",
    "ReminderIn",
    "ReminderOut",
    "RepaymentIn",
    "RepaymentOut",
    "ReversalIn",
    "RosterIn",
    "RosterOut",
    "RowErrorOut",
    "RunIn",
    "RunInScheme",
    "RunLine",
    "RunLineCategory",
    "RunList",
    "RunOut",
    "RunOutScheme",
    "RunOutStatus",
    "RunSummary",
    "RunSummaryScheme",
    "RunSummaryStatus",
    "SettlementIn",
    "SettlementOut",
    "SettlementOutStatus",
    "Skipped",
    "Sums",
    "TopUpIn",
    "TotalsOut",
    "TreeHeadOut",
    "WhatIfCreated",
    "WhatIfIn",
    "WhatIfInPolicyType1",
    "WorkInjuryLedgerOut",
    "WorkInjuryLedgerRow",
    "WriteOffIn",
)
