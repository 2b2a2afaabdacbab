"""The open-data API's routes (quartier/api.py), for the lazily loaded include in quartier/urls.py."""

from .api import api

urlpatterns, app_name, _namespace = api.urls
