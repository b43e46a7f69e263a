"""Python Nameko 2.x services that our TypeScript services call, that call them back, and that
dispatch and handle events with them."""
from nameko.events import BROADCAST, SINGLETON, EventDispatcher, event_handler
from nameko.exceptions import registry
from nameko.extensions import DependencyProvider
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
    dispatch = EventDispatcher()

    @rpc
    def echo(self, value, suffix=""):
        return value + suffix if isinstance(value, str) else value

    @rpc
    def nothing(self):
        pass

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

    @rpc
    def emit(self, event_type, payload):
        """Dispatches an event of pyecho's, with the context of the call that asked for it."""
        self.dispatch(event_type, payload)


class WorkerContextProvider(DependencyProvider):
    """Gives the worker its own context, so a handler can report what travelled with an event."""

    def get_dependency(self, worker_ctx):
        return worker_ctx


# What each handler of pylistener received, in order, for our test to read back over RPC.
RECEIVED = {"pool": [], "broadcast": [], "singleton": [], "shared_singleton": []}


class PyListenerService:
    """Handles the events of our TypeScript service `tsevents`, one handler of each type."""

    name = "pylistener"

    context = WorkerContextProvider()

    def _record(self, kind, payload):
        RECEIVED[kind].append({
            "payload": payload,
            "data": dict(self.context.data),
            "call_id_stack": self.context.call_id_stack,
        })

    @event_handler("tsevents", "ts_happened")
    def on_pool(self, payload):
        self._record("pool", payload)

    # Nameko's default broadcast identifier (a uuid per run) requires reliable_delivery=False.
    @event_handler("tsevents", "ts_happened", handler_type=BROADCAST, reliable_delivery=False)
    def on_broadcast(self, payload):
        self._record("broadcast", payload)

    @event_handler("tsevents", "ts_happened", handler_type=SINGLETON)
    def on_singleton(self, payload):
        self._record("singleton", payload)

    # Shares the queue evt-tsevents-shared_happened with a TypeScript singleton handler.
    @event_handler("tsevents", "shared_happened", handler_type=SINGLETON)
    def on_shared(self, payload):
        self._record("shared_singleton", payload)

    @rpc
    def received(self, kind):
        return RECEIVED[kind]
