from django.contrib.auth import authenticate, login
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_validators import OAuth2Validator

# The provider says it has verified every address but those of users it was told not to.
UNVERIFIED = "unverified"


class EmailClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email_verified": "email"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.last_name != UNVERIFIED,
            "name": user.first_name,
        }


@csrf_exempt
def sign_in(request):
    """The provider's own sign-in (its password and MFA, for the test a password)."""
    user = authenticate(
        request, username=request.POST.get("username"), password=request.POST.get("password")
    )
    if user is None:
        return HttpResponseForbidden("wrong password")
    login(request, user)
    return HttpResponse("signed in")


urlpatterns = [
    path("login/", sign_in),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
