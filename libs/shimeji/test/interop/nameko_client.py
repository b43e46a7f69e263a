"""A Python Nameko 2.x standalone client calling our TypeScript service; prints one JSON line."""
import json
import sys

from nameko.exceptions import IncorrectSignature, MethodNotFound, RemoteError, registry
from nameko.standalone.rpc import ClusterRpcProxy


class Refused(Exception):
    pass


registry["tsecho.exceptions.Refused"] = Refused


def outcome(call):
    try:
        return {"result": call()}
    except Exception as error:  # noqa: BLE001 - we report what was raised
        return {"raised": type(error).__name__, "str": str(error)}


config = {"AMQP_URI": sys.argv[1]}
with ClusterRpcProxy(config, context_data={"user_id": "py-user", "language": "es-es"}) as n:
    results = {
        "echo": outcome(lambda: n.tsecho.echo({"a": [1, 2.5, None, True], "s": "hi"})),
        "kwargs": outcome(lambda: n.tsecho.greet(name="Ada", greeting_word="hola")),
        "context": outcome(lambda: n.tsecho.whoAmI()),
        "registered": outcome(lambda: n.tsecho.refuse("not today")),
        "unregistered": outcome(lambda: n.tsecho.explode()),
        "no_method": outcome(lambda: n.tsecho.no_such_method()),
        "signature": outcome(lambda: n.tsecho.echo(1, 2, 3)),
        "round_trip": outcome(lambda: n.tsecho.askPython("ping")),
        "parallel": outcome(lambda: [r.result() for r in [n.tsecho.echo.call_async(i) for i in range(5)]]),
        "void": outcome(lambda: n.tsecho.nothing()),
        "big": outcome(lambda: n.tsecho.echo({"id": 2**63 - 1, "ids": [-(2**53) - 1]})),
        "big_type": outcome(lambda: n.tsecho.typeOf(2**63 - 1)),
    }
print(json.dumps(results))
