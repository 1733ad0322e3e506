from django.http import HttpRequest, HttpResponse
from django.urls import path

from baomi.kit.pages import page


@page
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("throwaway")


app_name = "throwaway"
urlpatterns = [path("", home, name="home")]
