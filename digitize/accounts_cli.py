"""`digitize accounts`: named staff accounts for the web pages (add, list, remove).

A password is read from standard input with --password-stdin (scripts) or asked twice at a terminal;
it never appears on the command line. Removing an account ends its open sessions at once."""
from __future__ import annotations

import argparse
import getpass
import re
import sys

from .errors import UserError
from .roles import ROLES

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MIN_PASSWORD = 12


def add_parser(sub) -> None:
    a = sub.add_parser("accounts", help="staff accounts for the web pages")
    cmds = a.add_subparsers(required=True, metavar="ACTION")
    add = cmds.add_parser("add", help="create an account, or change its role, name and password")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", help="the person's name as shown on the pages")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--sso-only", action="store_true", help="no password: signs in through the province's SSO")
    add.set_defaults(run=cmd_add)
    rm = cmds.add_parser("remove", help="deactivate an account and end its sessions")
    rm.add_argument("username")
    rm.set_defaults(run=cmd_remove)
    ls = cmds.add_parser("list", help="list the accounts")
    ls.set_defaults(run=cmd_list)


def _username(value: str) -> str:
    if not USERNAME.fullmatch(value):
        raise UserError("invalid_username", "Tên đăng nhập chỉ gồm chữ thường không dấu, số, '.', '_', '-' (2–64 ký tự).",
                        "A username is 2-64 characters of a-z, 0-9, '.', '_' and '-'.")
    return value


def _password(args: argparse.Namespace) -> str | None:
    if args.sso_only:
        return None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != password:
            raise UserError("password_mismatch", "Hai lần nhập mật khẩu không khớp.", "The passwords differ.")
    else:
        raise UserError("password_required", "Cần mật khẩu: dùng --password-stdin hoặc nhập tại bàn phím.",
                        "A password is needed: --password-stdin, or type it at a terminal.")
    if len(password) < MIN_PASSWORD:
        raise UserError("password_too_short", f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.",
                        f"A password needs at least {MIN_PASSWORD} characters.")
    return password


def cmd_add(args) -> int:
    from .services import Services

    username = _username(args.username)
    people = Services().people
    people.save_account(username, args.role, password=_password(args), display_name=args.name)
    print(f"Đã lưu tài khoản {username} ({args.role}).")
    return 0


def cmd_remove(args) -> int:
    from .errors import NotFoundError
    from .services import Services

    if not Services().people.deactivate(args.username):
        raise NotFoundError("account_not_found", f"Không có tài khoản {args.username}.", "No such account.")
    print(f"Đã khóa tài khoản {args.username}; các phiên đăng nhập của tài khoản đã kết thúc.")
    return 0


def cmd_list(args) -> int:
    from .services import Services

    for account in Services().people.list_accounts():
        state = "hoạt động" if account.active else "đã khóa"
        how = "mật khẩu" if account.has_password else "chỉ SSO"
        print(f"{account.username}\t{account.role}\t{state}\t{how}\t{account.display_name or ''}")
    return 0
