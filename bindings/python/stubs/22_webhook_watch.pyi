# Subscribing and watching subscriptions (instantly/webhooks/subscription.hpp, watch.hpp), used by
# instantly.webhooks.subscribe and instantly.webhooks.watch_subscriptions.

def webhooks_subscribe(core: Core, *, target_url: str, event_type: str, campaign: Optional[str], name: Optional[str],
                       header_name: str, bearer: bool, secret: Optional[str]) -> Dict[str, Any]:
    """The C++ webhooks::subscribe: a dict of webhook (JSON text), secret, verifier and reused."""
def webhooks_watch_subscriptions(core: Core, *, target_url: str, resume_disabled: bool,
                                 failing_lookback: float) -> Dict[str, Any]:
    """The C++ webhooks::watch_subscriptions: a dict of watched (JSON texts), gaps, failing and errors."""

