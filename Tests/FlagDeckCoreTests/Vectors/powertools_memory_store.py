"""An in-memory Powertools StoreProvider, shared by the vector generator and the
Powertools baseline benchmark so both feed the real `FeatureFlags` the same way."""
from aws_lambda_powertools.utilities.feature_flags.base import StoreProvider


class MemoryStore(StoreProvider):
    def __init__(self, config):
        self.config = config

    @property
    def get_raw_configuration(self):
        return self.config

    def get_configuration(self):
        return self.config
