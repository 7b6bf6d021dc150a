"""`regdoc serve`: the department's workspace in the browser; `regdoc users add`: its accounts."""
from __future__ import annotations

import sys
from pathlib import Path

from regdoc.cli.common import EXIT_OK
from regdoc.i18n import _


def register(sub, common) -> None:
    p = sub.add_parser("serve", parents=[common], help=_("the workspace in the browser"),
                       description=_("Serve the data tree to a browser: the Regulation at any date, histories, "
                                     "comparisons, resolutions, evaluations, documents and spreadsheets, in Kazakh, "
                                     "Russian or English. It listens on 127.0.0.1 (this computer only) unless "
                                     "--host says otherwise; any other host requires accounts (regdoc users add)."))
    p.add_argument("--host", default="127.0.0.1", help=_("the address to listen on (default: 127.0.0.1)"))
    p.add_argument("--port", type=int, default=8000, help=_("the port (default: 8000)"))
    p.add_argument("--open", action="store_true", dest="open_browser", help=_("open the workspace in a browser"))
    p.add_argument("--users", metavar="FILE", type=Path,
                   help=_("the users file (default: $REGDOC_USERS or ~/.config/regdoc/users.json)"))
    p.set_defaults(func=run_serve, long_lived=True)  # regdoc.collector: not short_lived

    u = sub.add_parser("users", help=_("accounts of the browser workspace"),
                       description=_("Accounts of `regdoc serve`, kept in a users file outside the data tree, "
                                     "passwords hashed with scrypt."))
    usub = u.add_subparsers(dest="users_command", metavar="COMMAND", required=True)
    a = usub.add_parser("add", parents=[common], help=_("add an account (or set its password and role)"),
                        description=_("Add an account to the users file, asking for its password twice (or "
                                      "reading one line from standard input with --password-stdin)."))
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", choices=("viewer", "editor"), required=True,
                   help=_("viewer: reads and downloads; editor: also builds and (later) edits"))
    a.add_argument("--users", metavar="FILE", type=Path,
                   help=_("the users file (default: $REGDOC_USERS or ~/.config/regdoc/users.json)"))
    a.add_argument("--password-stdin", action="store_true", help=_("read the password from standard input"))
    a.set_defaults(func=run_users_add)


def run_serve(args) -> int:
    from regdoc.web.server import serve

    serve(args.root, host=args.host, port=args.port, open_browser=args.open_browser, users_path=args.users)
    return EXIT_OK


def run_users_add(args) -> int:
    from regdoc.app.accounts import add_user, check_account, users_file
    from regdoc.errors import RegdocError

    path = users_file(args.users)
    check_account(path, args.name, args.role, args.root)  # refused before a password is asked for
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass(_("Password for {name}: ").format(name=args.name))
        if getpass.getpass(_("The same password again: ")) != password:
            raise RegdocError(_("the two passwords differ"))
    user = add_user(path, args.name, args.role, password, data_root=args.root)
    print(_("regdoc: account {name} ({role}) saved in {path}").format(name=user.name, role=user.role, path=path),
          file=sys.stderr)
    return EXIT_OK
