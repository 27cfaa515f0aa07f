"""The words the web pages show that code chooses (errors, role names, navigation), by code.

Templates hold their own fixed text; what a Python branch decides is named here once, so a
page never carries an English message and a later catalogue can take these over whole.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MESSAGES", "NAV", "ROLE_NAMES", "message"]

ROLE_NAMES: Final = {"hospital": "医院窗口", "agency": "经办机构", "admin": "系统管理员"}

MESSAGES: Final = {
    "bad_key": "密钥无效或已吊销，请核对后重新输入。",
    "missing_key": "请输入密钥。",
    "bearer_invalid": "Authorization 头中的密钥无效或已吊销。",
    "bearer_scheme": "Authorization 头只接受 Bearer 密钥。",
    "csrf": "表单已失效或来源不明（缺少或不符的防伪令牌），操作未执行。请返回上一页刷新后重试。",
    "cross_origin": "请求来自其他网站，操作未执行。",
    "forbidden_role": "当前身份无权访问此页面。",
    "other_hospital": "此密钥属于其他医院，无权查看。",
}

# The sections each role reaches from its landing page; the pages behind them come next.
NAV: Final = {
    "hospital": (("/ui/window/", "窗口", "查找账单、预结算、结算、撤销与打印结算单"),),
    "agency": (
        ("/ui/console/", "机构控制台", "按县、按月查看结算、基金支付与自付比例，对账与审计"),
    ),
    "admin": (
        ("/ui/console/", "机构控制台", "按县、按月查看结算、基金支付与自付比例，对账与审计"),
    ),
}


def message(code: str) -> str:
    return MESSAGES[code]
