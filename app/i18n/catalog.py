"""The Chinese message catalogue: every word a person reads in Chinese, keyed by a stable code.

Codes live in code (``AppError.code``, pydantic's error ``type``, the engine's reason codes);
words live here, and only here (as Django and Babel do it). A ``detail`` template names its
parameters (``{codes}``); the place that raises the error supplies them as
``AppError(..., params={"codes": "XA99"})``, never by parsing the English text.
``tests/i18n/test_catalog.py`` walks this file against the codes the app can answer: every code
has an entry, every entry is used, every parameter is supplied.

A Python module rather than a YAML or gettext file: it is typed and checked by mypy, loads with
the module (no I/O, no parsing at start), and the one target language needs no plural forms or
``.po``/``.mo`` compile step.
"""

from __future__ import annotations

from typing import Final, NamedTuple

__all__ = [
    "FIELD_NAMES",
    "HTTP_TITLES",
    "ITEMS",
    "NAV",
    "PAGES",
    "PROBLEMS",
    "REASONS",
    "ROLE_NAMES",
    "VALIDATION",
    "VALUES",
    "Message",
]


class Message(NamedTuple):
    title: str
    detail: str


PROBLEMS: Final[dict[str, Message]] = {
    # -- generic (app.errors and Starlette's own) --------------------------------------------
    "bad_request": Message("请求错误", "请求无法处理。"),
    "not_found": Message("未找到", "请求的资源不存在。"),
    "method_not_allowed": Message("方法不允许", "该路径不支持此请求方法，见 Allow 响应头。"),
    "conflict": Message("冲突", "请求与当前状态冲突。"),
    "unprocessable": Message("无法处理的内容", "请求内容无法处理。"),
    "unauthorized": Message(
        "未认证", "缺少或无效的 API 密钥：请发送 “Authorization: Bearer <密钥>”。"
    ),
    "forbidden": Message("无权限", "该密钥的角色或所属医院无权执行此操作。"),
    "ambiguous_credentials": Message(
        "请求错误",
        "请求带有 {count} 个 Authorization 头；请只发送一个 “Authorization: Bearer <密钥>”。",
    ),
    "service_unavailable": Message("服务不可用", "服务暂时不可用，请稍后重试。"),
    "database_unavailable": Message(
        "服务不可用",
        "数据库不可用或未及时响应；本请求未保存任何内容。请稍后重试（同一结算请求可安全重发）。",
    ),
    "commit_failed": Message(
        "提交失败", "数据库提交失败，结果可能未知；请稍后重发同一请求（可安全重发）。"
    ),
    "commit_unconfirmed": Message(
        "提交未确认",
        "已在数据库主库提交，但未确认已复制到备库；请稍后用同一单据号重发同一请求，"
        "备库确认后即返回结果（可安全重发）。",
    ),
    "query_timeout": Message(
        "服务不可用",
        "查询超过语句超时而被取消：查询范围过大。请缩小范围（更少的天数，或只查一家医院）。",
    ),
    "shutting_down": Message("服务不可用", "本实例正在停止；请重试（将由其他实例处理）。"),
    "overloaded": Message(
        "服务不可用",
        "本实例同时收到的结算请求过多；请在 {retry_after_s} 秒后重试（结算按单号幂等，重发安全）。",
    ),
    "not_ready": Message("服务未就绪", "数据库不可达，或数据库结构不是最新迁移版本。"),
    "payload_too_large": Message("请求体过大", "请求体超过 {max_bytes} 字节。"),
    "internal_error": Message("服务器内部错误", "发生了意外错误，已记录日志。"),
    "invariant_violation": Message(
        "服务器内部错误", "结算不变量不成立：这是程序缺陷，已记录日志。未保存任何内容。"
    ),
    # -- request validation -------------------------------------------------------------------
    "validation_error": Message("无法处理的内容", "请求中有字段无效，详见 errors。"),
    "invalid_character": Message(
        "无法处理的内容", "请求中的文本含有 U+0000（NUL）字符，无法保存或检索。"
    ),
    "amount_out_of_range": Message("无法处理的内容", "金额超出允许范围，详见 errors。"),
    "amount_mismatch": Message("无法处理的内容", "有明细的金额不等于单价 × 数量，详见 errors。"),
    "dates_out_of_order": Message("无法处理的内容", "日期顺序不正确（结束日期早于开始日期）。"),
    "invalid_cursor": Message("无法处理的内容", "分页游标无效或不属于本次查询。"),
    # -- registries and keys ------------------------------------------------------------------
    "unknown_hospital": Message("无法处理的内容", "医疗机构 {hospital_code} 不存在。"),
    "hospital_not_designated": Message(
        "无法处理的内容", "医疗机构 {hospital_code} 不是定点医疗机构。"
    ),
    "unknown_person": Message("无法处理的内容", "参保人登记中没有此身份证号的人员。"),
    "person_not_enrolled": Message("无法处理的内容", "该人员未参加 {year} 年度城乡居民医保。"),
    "unknown_catalog_code": Message("无法处理的内容", "医保目录中没有以下编码：{codes}。"),
    "no_policy_in_force": Message("无法处理的内容", "地区 {region} 在 {day} 没有生效的政策版本。"),
    "invalid_id_number": Message("无法处理的内容", "身份证号无效（格式或校验位错误）。"),
    "hospital_not_found": Message("未找到", "医疗机构 {hospital_code} 不存在。"),
    "person_not_found": Message("未找到", "没有此身份证号（或人员编号）的参保人。"),
    "catalog_item_not_found": Message("未找到", "医保目录中没有编码 {code}。"),
    "api_key_not_found": Message("未找到", "密钥 {key_id} 不存在。"),
    "last_admin_key": Message("冲突", "不能撤销最后一个管理员密钥。"),
    "policy_version_conflict": Message(
        "政策版本冲突", "已发布的政策版本不可更改；修改须发布新版本。"
    ),
    # -- settlement ---------------------------------------------------------------------------
    "bill_conflict": Message(
        "冲突",
        "单据 {bill_no} 已结算为 {settlement_id}，但内容不同；如需结算修改后的单据，请先撤销该结算。",
    ),
    "bill_reversed": Message(
        "冲突",
        "单据 {bill_no} 曾结算为 {settlement_id}，该结算已撤销。如需重新结算，请在请求中带上 "
        '"replaces": "{settlement_id}"。',
    ),
    "replaces_mismatch": Message(
        "冲突", "replaces {replaces} 不是单据 {bill_no} 最近一次被撤销的结算。"
    ),
    "settlement_not_found": Message("未找到", "未找到该结算（或该单据没有有效的结算）。"),
    "reversal_not_found": Message("未找到", "未找到该撤销记录。"),
    "audit_head_not_found": Message("未找到", "没有该大小的签名树头（审计日志尚未整合到该大小）。"),
    "audit_entry_not_found": Message("未找到", "没有此审计记录。"),
    "audit_entry_not_integrated": Message(
        "冲突", "该审计记录尚未整合进此树头；稍后再查询，或针对更新的树头查询。"
    ),
    "bill_settled_again": Message("冲突", "单据 {bill_no} 在撤销后已重新结算为 {settlement}。"),
    "person_year_moved_on": Message(
        "冲突", "撤销之后，该人员 {year} 年度已有新的结算或撤销（{later}）。"
    ),
    # -- visits (the national interface's admission, fee lines, discharge) --------------------
    "visit_not_found": Message("未找到", "就诊信息不存在。"),
    "visit_exists": Message("冲突", "该住院号已有未结束的就诊登记。"),
    "visit_cancelled": Message("冲突", "该就诊已撤销。"),
    "visit_settled": Message("冲突", "该就诊已结算。"),
    "visit_discharged": Message("冲突", "该就诊已办理出院。"),
    "visit_not_discharged": Message("冲突", "该就诊尚未办理出院。"),
    "visit_has_lines": Message("冲突", "该就诊已有费用明细。"),
    "no_lines": Message("无费用明细", "没有符合条件的费用明细。"),
    "not_enrolled": Message("无法处理的内容", "该人员在该年度未参保。"),
    "catalog_not_valid": Message("无法处理的内容", "医保目录项目在该日期不在有效期内。"),
    "duplicate_feedetl_sn": Message("冲突", "费用明细流水号重复。"),
    "unknown_feedetl_sn": Message("未找到", "费用明细流水号不存在。"),
    # -- enrolment rules and proxy-payment runs (app.enrolment) -------------------------------
    "no_enrolment_rules": Message("未找到", "没有 {year} 年度 {scheme} 的参保与代缴规则。"),
    "unknown_county": Message("无法处理的内容", "{county_code} 不是本统筹区的县（区）。"),
    "invalid_top_ups": Message(
        "无法处理的内容", "个人或第三方加缴有误，详见 errors；未保存任何内容。"
    ),
    "proxy_run_not_found": Message("未找到", "代缴批次不存在。"),
    "run_already_confirmed": Message(
        "冲突", "该险种、年度和县（区）已有确认的代缴批次 {other}；不能再确认另一个。"
    ),
    "run_stale": Message(
        "冲突", "计算该批次后，名册或代缴规则已有变化，批次已过期；请重新计算代缴批次后再确认。"
    ),
    # -- work injury (app.work_injury, docs/work-injury.md) ----------------------------------
    "key_reused": Message(
        "冲突", "编号 {key} 已用于另一内容不同的请求；重发请求须与原请求完全一致。"
    ),
    "calendar_not_covered": Message(
        "无法处理的内容", "{region} 的工作日历不含 {day}，无法计算期限（请先补充节假日安排）。"
    ),
    "no_rule": Message("无法处理的内容", "没有适用于 {day} 的{what}规则。"),
    "project_not_found": Message("未找到", "没有编号为 {key} 的建设项目。"),
    "case_not_found": Message("未找到", "没有编号为 {key} 的工伤案件。"),
    "application_not_found": Message("未找到", "没有编号为 {key} 的先行支付申请。"),
    "recovery_not_found": Message("未找到", "没有编号为 {key} 的追偿记录。"),
    "premium_after_start": Message(
        "无法处理的内容", "工伤保险费须在开工前一次性缴纳（先参保、再开工）。"
    ),
    "unknown_project": Message("无法处理的内容", "没有此建设项目。"),
    "applied_before_recognition": Message("无法处理的内容", "先行支付申请须在工伤认定之后提出。"),
    "unknown_item": Message("无法处理的内容", "没有工伤保险待遇项目 {item_code}。"),
    "path_not_open": Message("无法处理的内容", "该案件不符合所选先行支付情形的条件。"),
    "reminder_not_needed": Message(
        "冲突", "用人单位已参保：此情形由工伤保险基金直接支付，无需书面告知用人单位。"
    ),
    "invalid_transition": Message("冲突", "当前状态（{status}）不允许此操作（{action}）。"),
    "reminder_required": Message(
        "冲突", "须先书面告知用人单位，并待其支付期限届满，方可作出先行支付决定。"
    ),
    "employer_deadline_open": Message(
        "冲突", "用人单位的支付期限至 {due_on} 届满；期满仍未支付的，方可先行支付。"
    ),
    "item_not_fund_payable": Message(
        "无法处理的内容", "{item_code} 由用人单位支付（社会保险法第三十九条），基金不予先行支付。"
    ),
    "item_not_on_path": Message(
        "无法处理的内容", "{item_code} 不是医疗费用，第三人责任情形下不予先行支付。"
    ),
    "amount_above_claim": Message("无法处理的内容", "决定金额超过申请金额（或用人单位未付部分）。"),
    "nothing_to_advance": Message("无法处理的内容", "先行支付决定的金额须大于零。"),
    "recovery_needs_payment": Message(
        "冲突", "只有已先行支付的申请才能追偿；当前状态为 {status}。"
    ),
    "date_before_decision": Message("无法处理的内容", "责令偿还的日期不得早于先行支付决定。"),
    "date_before_order": Message("无法处理的内容", "日期不得早于责令偿还的日期。"),
    "date_before_application": Message("无法处理的内容", "日期不得早于申请日期。"),
    "repayment_key_reused": Message("冲突", "还款编号 {repayment_no} 已以不同的日期或金额登记。"),
    "amount_above_outstanding": Message("无法处理的内容", "还款金额须大于零且不超过待追回金额。"),
    "employer_payment_invalid": Message(
        "无法处理的内容", "用人单位累计支付金额不得减少，支付日期不得早于书面告知日期。"
    ),
    "debtor_not_liable": Message("无法处理的内容", "此先行支付情形下，该对象不是偿还义务人。"),
    # -- roster imports (app.roster) ----------------------------------------------------------
    "roster_unreadable": Message("无法读取名单文件", "{reason}。未导入任何内容。"),
    "roster_no_header": Message(
        "名单文件没有表头", "名单文件为空，或第一行不是表头。未导入任何内容。"
    ),
    "roster_no_rows": Message(
        "名单文件没有数据行",
        "名单文件只有表头，没有数据行（导入将结束该来源的全部名单，视为导出错误）。未导入任何内容。",
    ),
    "roster_missing_columns": Message(
        "名单文件缺少必需的列", "表头缺少以下必需的列：{columns}。未导入任何内容。"
    ),
    "roster_duplicate_column": Message(
        "名单文件的列重复", "以下表头表示同一列：{columns}。未导入任何内容。"
    ),
    "roster_too_big": Message(
        "名单文件过大", "文件大小 {size} 字节，超过上限 {max_bytes} 字节。未导入任何内容。"
    ),
    "roster_too_many_rows": Message(
        "名单文件行数过多",
        "数据行超过 {max_rows} 行；请按县（区）拆分后分别导入。未导入任何内容。",
    ),
    "roster_as_of_before_latest": Message(
        "名单日期早于最近一次导入",
        "{source} 的名单日期 {as_of} 早于该来源最近一次导入的日期 {latest}；名单须按日期先后导入。",
    ),
    "roster_import_not_found": Message("未找到", "名单导入记录 {import_id} 不存在。"),
    # -- what-if (app.whatif) and the published policies (app.policy.endpoints) ---------------
    "invalid_policy": Message(
        "政策草案无效", "政策草案有 {count} 处问题，未创建测算；每处问题见 errors（loc 指明字段）。"
    ),
    "what_if_busy": Message(
        "已有测算在进行", "该密钥已有一个排队或进行中的测算（{job_id}）；请等待其完成或先取消。"
    ),
    "what_if_not_found": Message("未找到测算", "没有此测算，或已过保留期（一天）被删除。"),
    "what_if_not_done": Message(
        "测算尚未完成", "该测算状态为 {status}，只有已完成的测算可以导出。"
    ),
    "policy_not_found": Message("未找到政策", "没有此已发布的政策版本。"),
}
"""Per problem ``code``: the Chinese ``title`` and ``detail`` template."""

HTTP_TITLES: Final[dict[int, str]] = {
    400: "请求错误",
    401: "未认证",
    403: "无权限",
    404: "未找到",
    405: "方法不允许",
    409: "冲突",
    413: "请求体过大",
    422: "无法处理的内容",
    500: "服务器内部错误",
    503: "服务不可用",
}
"""A title by status, for an HTTP error whose code has no entry (a status Starlette raises that
the app never does on purpose)."""

VALIDATION: Final[dict[str, str]] = {
    # pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/);
    # ``{...}`` are the error's ``ctx``.
    "missing": "缺少此字段",
    "extra_forbidden": "不允许的字段",
    "string_type": "须为字符串",
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "string_pattern_mismatch": "格式不符合要求（{pattern}）",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数，不能有小数部分",
    "bool_type": "须为布尔值（true 或 false）",
    "bool_parsing": "须为布尔值（true 或 false）",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "须大于或等于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "须小于或等于 {le}",
    "literal_error": "须为以下之一：{expected}",
    "enum": "须为以下之一：{expected}",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "list_type": "须为数组",
    "dict_type": "须为 JSON 对象",
    "model_type": "须为 JSON 对象",
    "model_attributes_type": "须为 JSON 对象",
    "json_invalid": "JSON 格式错误：{error}",
    "json_type": "须为 JSON",
    "uuid_parsing": "须为 UUID",
    "uuid_type": "须为 UUID",
    "date_parsing": "须为日期 YYYY-MM-DD",
    "date_type": "须为日期 YYYY-MM-DD",
    "date_from_datetime_inexact": "须为日期 YYYY-MM-DD，不能带时间",
    "value_error": "取值无效",
    # the project's own types (app.types, app.errors.CODED_VALIDATION_ERRORS)
    "amount_out_of_range": "{what}不得超过 {maximum}",
    "invalid_character": "不得包含 U+0000（NUL）字符",
}
"""Per validation error type: the Chinese ``errors[].msg`` template."""

VALUES: Final[dict[str, str]] = {
    # app.types.Invalid keys: the project's own value errors, with their parameters.
    "decimal_not_boolean": "{what}须为十进制字符串或数字，不能是布尔值",
    "decimal_not_float": "{what}须为十进制字符串或数字，不能是二进制浮点数",
    "decimal_places": "{what}须为普通十进制数，最多 {places} 位小数",
    "decimal_type": "{what}须为十进制字符串或数字",
    "decimal_negative": "{what}不得为负数",
    "decimal_too_large": "{what}过大",
    "decimal_not_positive": "{what}须为正数",
    "ascii_int": "须为用 ASCII 数字 0-9 书写的整数",
    "iso_date_type": "须为 YYYY-MM-DD 格式的日期字符串，不能是数字或日期时间",
    "date_before": "不得早于 {earliest}",
    "date_after_today": "不得晚于今天（{today}，{time_zone}）",
}
"""Per :class:`app.types.Invalid` key: the Chinese ``errors[].msg`` template."""

ITEMS: Final[dict[str, str]] = {
    # The ``key`` of an ``AppError``'s ``errors[]`` item, given at its raise site beside the
    # English ``msg``; ``{...}`` are the item's ``params``.
    # -- settlement: the bill's lines (app.settlement.service) --------------------------------
    "lines_count": "须为 1 到 {most} 条明细",
    "first_after_second": "first 不能大于 second",
    "seq_range": "seq 须为 1 到 {most}",
    "seq_twice": "明细序号 seq {seq} 重复（第 {first} 条与第 {second} 条明细）",
    "code_length": "须为 1 到 {most} 个字符",
    "name_length": "最多 {most} 个字符",
    "line_positive": "{what}须为正数",
    "line_non_negative": "{what}不得为负数",
    "at_most": "不得超过 {maximum}",
    "not_before_admission": "不得早于入院日期（admission_date）",
    "lines_total_over": "明细合计 {total} > {maximum}",
    "amount_not_price_times_quantity": "金额 {amount} ≠ round(单价 × 数量) = {expected}",
    "person_year_total_over": "该人员 {year} 年度的单据合计将为 {total} > {maximum}",
    # -- settlement: the registries -----------------------------------------------------------
    "unknown_hospital_code": "医疗机构编码不存在",
    "not_designated": "不是定点医疗机构",
    "not_in_person_registry": "参保人登记中没有此人",
    "not_enrolled_in": "未参加 {year} 年度城乡居民医保",
    "code_not_in_catalogue": "{code} 在 {day} 不在医保目录中",
    "no_policy_on_day": "该日期没有生效的政策版本",
    # -- settlement: the bill's earlier settlements -------------------------------------------
    "active_other_content": "有效结算 {settlement_id} 的内容与本次不同",
    "reversed_name_it": "该单据的结算 {settlement_id} 已撤销；如需重新结算，请在 replaces 中写明它",
    "nothing_to_replace": "该单据没有可替换的结算",
    "latest_reversed_is": "该单据最近一次被撤销的结算是 {settlement_id}",
    # -- registry, keys, reconciliation -------------------------------------------------------
    "id_number_shape": "须为 18 位：17 位数字加 1 位数字或 X",
    "id_number_checksum": "校验位不符（GB 11643）",
    "last_admin_key": "最后一个有效的管理员密钥",
    "not_keys_hospital": "不是该密钥所属的医院",
    "date_between": "须在 {first} 至 {last} 之间",
    "not_before_date_from": "不得早于 date_from",
    "cursor_not_ours": "不是本接口返回的游标",
    "cursor_other_scope": "该游标是为其他 hospital_code、date_from 或 date_to 签发的",
    # -- enrolment: proxy-payment runs (app.enrolment.proxy) -----------------------------------
    "not_a_county": "不是本统筹区的县（区）",
    "top_up_medical": "城乡居民医保没有缴费档次，不接受加缴（top_ups 仅用于养老保险）",
    "top_up_twice": "与 top_ups[{first}] 是同一人",
    "top_up_not_in_run": "不是本批次的人员（不在该县该年度的名册上，或已被排除）",
    "third_party_name_without_amount": "填写了资助方名称，但第三方资助金额为 0",
    "over_highest_tier": "代缴 {gov} 元加个人缴费 {amount} 元超过最高缴费档次 {highest} 元",
    "not_a_tier": "叠加后的金额 {total} 元不是缴费档次（{tiers}）",
    # -- work injury ---------------------------------------------------------------------------
    "employer_was_insured": "用人单位在受伤时已参加工伤保险",
    "trigger_required": "用人单位情形须说明用人单位不支付的原因",
    "no_third_party": "该案件未登记负有责任的第三人",
    "trigger_not_allowed": "仅用人单位情形填写",
    "unknown_benefit_item": "不是规则中的工伤保险待遇项目",
    "employer_item": "用人单位支付的项目（社会保险法第三十九条）",
    "not_medical": "不是医疗费用（社会保险法第四十二条）",
    "above_claim": "超过该项目的申请金额",
    "above_unpaid_claim": "超过申请金额减去用人单位已付金额",
    "no_amount": "没有可先行支付的金额",
    "before_decision": "早于先行支付决定日期",
    "above_outstanding": "须大于零且不超过待追回金额",
    "before_order": "早于责令偿还日期",
    "after_work_start": "晚于开工日期",
    "unknown_project_no": "没有此建设项目",
    "before_recognition": "早于工伤认定日期",
    "before_application": "早于申请日期",
    "payment_goes_back": "低于已登记的累计金额，或早于书面告知日期",
    "not_liable": "此情形下不是偿还义务人",
    # -- roster imports (app.roster) ----------------------------------------------------------
    "as_of_after_today": "不得晚于今天（{today}）",
    # -- coverage, gaps and the roster ledger -------------------------------------------------
    "cursor_other_query": "该游标是为其他查询条件签发的",
    # -- what-if (app.whatif) ------------------------------------------------------------------
    "policy_field": "政策草案此处无效：{problem}",
    "what_if_active": "测算 {job_id} 正在排队或进行中",
}
"""Per ``AppError`` item ``key``: the Chinese ``errors[].msg`` template."""

FIELD_NAMES: Final[dict[str, str]] = {
    "amount": "金额",
    "unit price": "单价",
    "price": "价格",
    "quantity": "数量",
    "ratio": "比例",
}
"""The ``{what}`` of a value error (a field's English name as the message uses it)."""

REASONS: Final[dict[str, str]] = {
    # app.engine.layers.base.REASONS: why a layer paid nothing.
    "no_in_policy": "没有政策范围内费用可支付",
    "below_deductible": "政策范围内费用未超过起付线",
    "cap_reached": "已达年度封顶线",
    "ratio_zero": "支付比例为 0",
    "nothing_left": "已无剩余费用可支付",
    "below_threshold": "累计计算基数未达到分段起点",
    "not_eligible": "不符合条件：无适用的人员类别",
    "out_of_county": "不符合条件：医疗机构不在参保人所在县（区）",
    "rounds_to_zero": "金额舍入后为 0",
    "within_target": "剩余自付已在目标比例以内",
}
"""Per engine reason code: the Chinese layer ``reason``."""

# -- the web pages (app.ui): what a Python branch of the page code chooses --------------------

ROLE_NAMES: Final[dict[str, str]] = {
    "hospital": "医院窗口",
    "agency": "经办机构",
    "admin": "系统管理员",
    "work_injury": "工伤保险经办机构",
}
"""Per key role: its name on the pages."""

PAGES: Final[dict[str, str]] = {
    "bad_key": "密钥无效或已吊销，请核对后重新输入。",
    "missing_key": "请输入密钥。",
    "bearer_invalid": "Authorization 头中的密钥无效或已吊销。",
    "bearer_scheme": "Authorization 头只接受 Bearer 密钥。",
    "csrf": "表单已失效或来源不明（缺少或不符的防伪令牌），操作未执行。请返回上一页刷新后重试。",
    "cross_origin": "请求来自其他网站，操作未执行。",
    "forbidden_role": "当前身份无权访问此页面。",
    "other_hospital": "此密钥属于其他医院，无权查看。",
    # -- 代缴名单 (app.ui.console_proxy) --------------------------------------------------------
    "run_not_found": "代缴批次不存在。",
    "proxy_year": "年度应为 4 位数字，且须有该年度的代缴规则（{years}）。",
    "proxy_county_code": "请选择本统筹区的县（区）。",
    "proxy_scheme": "请选择险种。",
    "proxy_run_stale": "计算该批次后，名册或代缴规则已有变化，批次已过期；请重新计算后再确认。",
    "proxy_run_already_confirmed": "该险种、年度和县（区）已有确认的代缴批次，不能再确认另一个。",
    "no_case": "没有此工伤案件。",
}
"""Per page error code (app.ui.deps, app.ui.endpoints): the Chinese message a page shows."""

NAV: Final[dict[str, tuple[tuple[str, str, str], ...]]] = {
    # The sections each role reaches from its landing page: (path, name, what it is for).
    "hospital": (("/ui/window/", "窗口", "查找账单、预结算、结算、撤销与打印结算单"),),
    "agency": (
        ("/ui/console/", "机构控制台", "按县、按月查看结算、基金支付与自付比例，对账与审计"),
        ("/ui/console/work-injury", "工伤先行支付", "工伤案件、先行支付、追偿与台账"),
    ),
    "admin": (
        ("/ui/console/", "机构控制台", "按县、按月查看结算、基金支付与自付比例，对账与审计"),
        ("/ui/console/work-injury", "工伤先行支付", "工伤案件、先行支付、追偿与台账"),
    ),
    "work_injury": (("/ui/console/work-injury", "工伤先行支付", "工伤案件、先行支付、追偿与台账"),),
}
"""Per role: the sections of its landing page."""
