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
}
"""Per page error code (app.ui.deps, app.ui.endpoints): the Chinese message a page shows."""

NAV: Final[dict[str, tuple[tuple[str, str, str], ...]]] = {
    # The sections each role reaches from its landing page: (path, name, what it is for).
    "hospital": (("/ui/window/", "窗口", "查找账单、预结算、结算、撤销与打印结算单"),),
    "agency": (
        ("/ui/console/", "机构控制台", "按县、按月查看结算、基金支付与自付比例，对账与审计"),
    ),
    "admin": (
        ("/ui/console/", "机构控制台", "按县、按月查看结算、基金支付与自付比例，对账与审计"),
    ),
}
"""Per role: the sections of its landing page."""
