"""REST API of the accounts app under /api/v1/accounts/ (thin: selectors for reads, services for
writes). Session or ``Authorization: Bearer <key>`` authentication; the same policy as the UI;
errors are ``{"error": {"code", "message", "fields"}}`` (API-1, SEC-2)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from baomi.accounts import selectors, services
from baomi.accounts.choices import Role
from baomi.accounts.models import ApiToken, Department, User


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "code", "parent", "head", "secrecy_officer", "sort_order"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    department_name = serializers.CharField(source="department.name", default=None, read_only=True)
    totp_enrolled = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "department", "department_name", "person_type", "post", "roles",
                  "clearance", "authority_level", "totp_enrolled", "password_changed_at", "last_login"]  # fmt: skip
        read_only_fields = fields

    def get_roles(self, obj: User) -> list[str]:
        return sorted(obj.role_codes())


class UserSerializer(MeSerializer):
    locked = serializers.SerializerMethodField()

    class Meta(MeSerializer.Meta):
        fields = [*MeSerializer.Meta.fields, "is_active", "locked", "locked_until", "failed_logins",
                  "must_change_password"]  # fmt: skip
        read_only_fields = fields

    def get_locked(self, obj: User) -> bool:
        return obj.is_locked()


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once; only a digest is stored.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]
        read_only_fields = [*TokenSerializer.Meta.read_only_fields, "key"]


class MeView(APIView):
    """The signed-in person's own account."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Accounts, for the system administrator and the security officer (SEC-2)."""

    serializer_class = UserSerializer
    filterset_fields = ["department", "is_active"]

    def get_queryset(self) -> Any:
        qs = selectors.users(self.request.user, "administer").prefetch_related("role_assignments")
        role = self.request.query_params.get("role")
        return qs.filter(role_assignments__role=role).distinct() if role else qs

    def get_object(self) -> User:
        return selectors.user(self.request.user, self.kwargs["pk"], "administer")

    def _role_change(self, request: Request, pk: str, revoke: bool) -> Response:
        person = selectors.user(request.user, pk, "assign_role")
        ser = RoleSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        if revoke:
            services.revoke_role(request.user, person, ser.validated_data["role"])  # type: ignore[arg-type]
        else:
            services.assign_role(request.user, person, ser.validated_data["role"])  # type: ignore[arg-type]
        person.forget_roles()
        return Response(UserSerializer(person).data)

    @extend_schema(request=RoleSerializer, responses=UserSerializer)
    @action(detail=True, methods=["post"], url_path="roles")
    def assign_role(self, request: Request, pk: str) -> Response:
        """Assign a role (the security officer; 三员分立 refusals are 400 ``invalid``)."""
        return self._role_change(request, pk, revoke=False)

    @extend_schema(request=RoleSerializer, responses=UserSerializer)
    @action(detail=True, methods=["post"], url_path="roles/revoke")
    def revoke_role(self, request: Request, pk: str) -> Response:
        return self._role_change(request, pk, revoke=True)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisation tree (ORG-1)."""

    serializer_class = DepartmentSerializer

    def get_queryset(self) -> Any:
        return selectors.departments(self.request.user)

    def get_object(self) -> Department:
        return selectors.department(self.request.user, self.kwargs["pk"])


class TokenViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """One's own API tokens: the key is returned once, at creation; DELETE revokes."""

    serializer_class = TokenSerializer

    def get_queryset(self) -> Any:
        return selectors.tokens(self.request.user)

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = TokenSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        token, key = services.create_token(request.user, name=ser.validated_data["name"])  # type: ignore[arg-type]
        data = dict(TokenSerializer(token).data)
        data["key"] = key
        return Response(data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        token = selectors.token(request.user, kwargs["pk"])
        services.revoke_token(request.user, token)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter()
router.register("accounts/users", UserViewSet, basename="accounts-user")
router.register("accounts/departments", DepartmentViewSet, basename="accounts-department")
router.register("accounts/tokens", TokenViewSet, basename="accounts-token")

urlpatterns = [path("accounts/me/", MeView.as_view(), name="accounts-me"), *router.urls]
