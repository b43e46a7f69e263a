"""A Python Nameko 2.x service that our TypeScript services call, and that calls them back."""
from nameko.exceptions import registry
from nameko.rpc import RpcProxy, rpc


class Declined(Exception):
    pass


class TsRefused(Exception):
    pass


# The TypeScript service's error, registered the way a Nameko caller declares what it consumes.
registry["tsecho.exceptions.Refused"] = TsRefused


class PyEchoService:
    name = "pyecho"

    tsecho = RpcProxy("tsecho")

    @rpc
    def echo(self, value, suffix=""):
        return value + suffix if isinstance(value, str) else value

    @rpc
    def decline(self, reason):
        raise Declined(reason)

    @rpc
    def ask_ts(self, value):
        return {"python_saw": self.tsecho.echo(value)}

    @rpc
    def ask_ts_to_refuse(self):
        try:
            self.tsecho.refuse("no way")
        except TsRefused as error:
            return {"caught": type(error).__name__, "message": str(error)}
