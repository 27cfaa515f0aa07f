"""Contains all the data models used in inputs/outputs"""

from .api_key_created import ApiKeyCreated
from .api_key_in import ApiKeyIn
from .api_key_in_role import ApiKeyInRole
from .api_key_out import ApiKeyOut
from .audit_entry_out import AuditEntryOut
from .audit_entry_out_details import AuditEntryOutDetails
from .audit_page import AuditPage
from .audit_verification import AuditVerification
from .call_service_body import CallServiceBody
from .call_service_body_input import CallServiceBodyInput
from .call_service_response_200 import CallServiceResponse200
from .call_service_response_200_infcode import CallServiceResponse200Infcode
from .call_service_response_200_output import CallServiceResponse200Output
from .catalog_item_in import CatalogItemIn
from .catalog_item_in_grade import CatalogItemInGrade
from .catalog_item_out import CatalogItemOut
from .catalog_item_out_grade import CatalogItemOutGrade
from .category_in import CategoryIn
from .category_in_category import CategoryInCategory
from .check_fund_in import CheckFundIn
from .check_in import CheckIn
from .check_out import CheckOut
from .check_out_result import CheckOutResult
from .enrolment_in import EnrolmentIn
from .error_item import ErrorItem
from .event_fund import EventFund
from .event_out import EventOut
from .event_out_event import EventOutEvent
from .event_out_sign import EventOutSign
from .event_page import EventPage
from .export_poverty_ledger_format import ExportPovertyLedgerFormat
from .export_reconciliation_events_format import ExportReconciliationEventsFormat
from .fund_difference import FundDifference
from .fund_figures import FundFigures
from .fund_total import FundTotal
from .health import Health
from .hospital_in import HospitalIn
from .hospital_in_level import HospitalInLevel
from .hospital_out import HospitalOut
from .hospital_out_level import HospitalOutLevel
from .id_difference import IdDifference
from .item_in import ItemIn
from .layer_out import LayerOut
from .layer_out_params import LayerOutParams
from .ledger_fund import LedgerFund
from .ledger_in_county import LedgerInCounty
from .ledger_out import LedgerOut
from .ledger_row import LedgerRow
from .patient_in import PatientIn
from .patient_out import PatientOut
from .person_in import PersonIn
from .person_out import PersonOut
from .problem import Problem
from .ready import Ready
from .reconciliation_totals import ReconciliationTotals
from .reversal_in import ReversalIn
from .settlement_in import SettlementIn
from .settlement_out import SettlementOut
from .settlement_out_status import SettlementOutStatus
from .sums import Sums
from .totals_out import TotalsOut

__all__ = (
    "ApiKeyCreated",
    "ApiKeyIn",
    "ApiKeyInRole",
    "ApiKeyOut",
    "AuditEntryOut",
    "AuditEntryOutDetails",
    "AuditPage",
    "AuditVerification",
    "CallServiceBody",
    "CallServiceBodyInput",
    "CallServiceResponse200",
    "CallServiceResponse200Infcode",
    "CallServiceResponse200Output",
    "CatalogItemIn",
    "CatalogItemInGrade",
    "CatalogItemOut",
    "CatalogItemOutGrade",
    "CategoryIn",
    "CategoryInCategory",
    "CheckFundIn",
    "CheckIn",
    "CheckOut",
    "CheckOutResult",
    "EnrolmentIn",
    "ErrorItem",
    "EventFund",
    "EventOut",
    "EventOutEvent",
    "EventOutSign",
    "EventPage",
    "ExportPovertyLedgerFormat",
    "ExportReconciliationEventsFormat",
    "FundDifference",
    "FundFigures",
    "FundTotal",
    "Health",
    "HospitalIn",
    "HospitalInLevel",
    "HospitalOut",
    "HospitalOutLevel",
    "IdDifference",
    "ItemIn",
    "LayerOut",
    "LayerOutParams",
    "LedgerFund",
    "LedgerInCounty",
    "LedgerOut",
    "LedgerRow",
    "PatientIn",
    "PatientOut",
    "PersonIn",
    "PersonOut",
    "Problem",
    "Ready",
    "ReconciliationTotals",
    "ReversalIn",
    "SettlementIn",
    "SettlementOut",
    "SettlementOutStatus",
    "Sums",
    "TotalsOut",
)
