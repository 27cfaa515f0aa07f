"""The deployment files: Kubernetes manifests validated offline against the Kubernetes schemas
(kubernetes-validate bundles them), the CloudNativePG Cluster against a committed schema subset,
and the links between the files (selectors, names, settings, commands, the image) checked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

from app.cli import _parser
from app.config import Settings

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "k8s"
CNPG_SCHEMA = Path(__file__).parent / "k8s_schemas" / "postgresql.cnpg.io-v1-cluster.subset.json"
# The oldest Kubernetes we promise to run on, and the newest the package knows.
VERSIONS = ["1.30", latest_version()]
TEMPLATE = "database-secret.template.yaml"


def manifest_files() -> list[Path]:
    return sorted(p for p in K8S.rglob("*.yaml") if p.name != "kustomization.yaml")


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def all_resources() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, doc) for path in manifest_files() for doc in documents(path)]


def one(kind: str, name: str | None = None) -> dict[str, Any]:
    found = [
        doc
        for _, doc in all_resources()
        if doc["kind"] == kind and (name is None or doc["metadata"]["name"] == name)
    ]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def resource_id(path: Path, doc: dict[str, Any]) -> str:
    return f"{path.relative_to(K8S)}:{doc['kind']}/{doc['metadata']['name']}"


CUSTOM = {"postgresql.cnpg.io/v1"}
BUILT_IN = [(p, d) for p, d in all_resources() if d["apiVersion"] not in CUSTOM]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("path", "doc"), BUILT_IN, ids=[resource_id(p, d) for p, d in BUILT_IN])
def test_built_in_kinds_validate_against_the_kubernetes_schema(
    path: Path, doc: dict[str, Any], version: str
) -> None:
    # strict: unknown fields (a typo such as `readinesProbe`) are errors, as the API server's
    # strict field validation makes them.
    kubernetes_validate.validate(doc, version, strict=True)


def test_the_cloudnativepg_cluster_validates_against_the_committed_schema_subset() -> None:
    schema = json.loads(CNPG_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    customs = [d for _, d in all_resources() if d["apiVersion"] in CUSTOM]
    assert [d["kind"] for d in customs] == ["Cluster"], "a new custom kind needs its schema here"
    jsonschema.Draft202012Validator(schema).validate(customs[0])
    broken = {**customs[0], "spec": {**customs[0]["spec"], "instance": 2}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_every_manifest_is_in_exactly_one_kustomization_except_the_secret_template() -> None:
    listed: list[Path] = []
    for kustomization in K8S.rglob("kustomization.yaml"):
        (doc,) = documents(kustomization)
        assert doc["kind"] == "Kustomization"
        assert doc["namespace"] == "onestop"
        for resource in doc["resources"]:
            path = (kustomization.parent / resource).resolve()
            assert path.is_file(), f"{kustomization}: {resource} does not exist"
            listed.append(path)
    assert sorted(listed) == sorted(p for p in manifest_files() if p.name != TEMPLATE)


# --- the files agree with each other and with the app -------------------------------------------


def pod_labels() -> dict[str, str]:
    labels: dict[str, str] = one("Deployment", "onestop")["spec"]["template"]["metadata"]["labels"]
    return labels


def container() -> dict[str, Any]:
    (main,) = one("Deployment", "onestop")["spec"]["template"]["spec"]["containers"]
    return main


def config() -> dict[str, str]:
    data: dict[str, str] = one("ConfigMap", "onestop-config")["data"]
    return data


def test_deployment_runs_two_or_more_hardened_replicas_with_probes() -> None:
    deployment = one("Deployment", "onestop")
    pod = deployment["spec"]["template"]["spec"]
    main = container()
    assert deployment["spec"]["replicas"] >= 2
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels().items()
    assert main["args"][0] == "serve" and "0.0.0.0" in main["args"]
    (port,) = main["ports"]
    assert (port["name"], port["containerPort"]) == ("http", int(config()["PORT"]))
    assert main["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert main["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert main["startupProbe"]["httpGet"]["path"] == "/healthz"
    # /readyz gives up on the database within ONESTOP_DB_CONNECT_TIMEOUT_S.
    assert (
        float(config()["ONESTOP_DB_CONNECT_TIMEOUT_S"]) < main["readinessProbe"]["timeoutSeconds"]
    )
    assert {"cpu", "memory"} <= main["resources"]["requests"].keys()
    assert {"cpu", "memory"} <= main["resources"]["limits"].keys()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert main["securityContext"]["readOnlyRootFilesystem"] is True
    assert main["securityContext"]["allowPrivilegeEscalation"] is False
    assert main["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert any(m["mountPath"] == "/tmp" for m in main["volumeMounts"])


def test_termination_leaves_time_for_the_drain() -> None:
    pod = one("Deployment", "onestop")["spec"]["template"]["spec"]
    command = container()["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep"
    drain_s = int(command[1]) + float(config()["ONESTOP_SHUTDOWN_TIMEOUT_S"])
    assert pod["terminationGracePeriodSeconds"] > drain_s


def test_service_hpa_and_pdb_select_the_deployments_pods() -> None:
    service = one("Service", "onestop")
    assert service["spec"]["selector"].items() <= pod_labels().items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    hpa = one("HorizontalPodAutoscaler", "onestop")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "onestop",
    }
    assert hpa["spec"]["minReplicas"] >= 2
    pdb = one("PodDisruptionBudget", "onestop")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels().items()
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]


def _setting_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias if isinstance(alias, str) else f"ONESTOP_{name.upper()}")
    return names


def test_configmap_and_secret_set_only_real_settings() -> None:
    assert config().keys() <= _setting_names()
    secret = one("Secret", "onestop-database")
    assert secret["stringData"].keys() == {"DATABASE_URL", "DATABASE_READ_URL"}
    Settings.model_validate(config() | secret["stringData"])  # the values parse


def test_the_secret_is_a_template_and_reads_go_to_the_replica() -> None:
    secret = one("Secret", "onestop-database")["stringData"]
    assert all("CHANGE-ME" in url for url in secret.values())
    cluster = one("Cluster")["metadata"]["name"]
    database = one("Cluster")["spec"]["bootstrap"]["initdb"]["database"]
    owner = one("Cluster")["spec"]["bootstrap"]["initdb"]["owner"]
    pattern = r"postgresql://{owner}:CHANGE-ME@{host}:5432/{db}"
    assert re.fullmatch(
        pattern.format(owner=owner, host=f"{cluster}-rw", db=database), secret["DATABASE_URL"]
    )
    assert re.fullmatch(
        pattern.format(owner=owner, host=f"{cluster}-ro", db=database), secret["DATABASE_READ_URL"]
    )
    assert one("Cluster")["spec"]["instances"] >= 2  # a replica behind -ro


def test_pods_read_the_configmap_and_the_secret() -> None:
    for spec in (
        one("Deployment", "onestop")["spec"]["template"]["spec"],
        one("Job", "onestop-migrate")["spec"]["template"]["spec"],
    ):
        for each in spec.get("initContainers", []) + spec["containers"]:
            sources = {next(iter(s)): next(iter(s.values()))["name"] for s in each["envFrom"]}
            assert sources == {"configMapRef": "onestop-config", "secretRef": "onestop-database"}


def test_the_migration_job_runs_real_cli_commands_with_the_same_image() -> None:
    pod = one("Job", "onestop-migrate")["spec"]["template"]["spec"]
    (migrate,) = pod["initContainers"]
    (publish,) = pod["containers"]
    assert migrate["args"] == ["migrate"]
    assert publish["args"] == ["publish-policies"]
    for each in (migrate, publish, container()):
        _parser().parse_args(each["args"])  # exits on an unknown command
        assert each["image"] == container()["image"]
        assert each["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["restartPolicy"] == "Never"


# --- the image ----------------------------------------------------------------------------------


def test_dockerfile_builds_a_non_root_image_with_the_runtime_files_and_a_healthcheck() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM (\S+) AS (\w+)", dockerfile, re.MULTILINE)
    assert [name for _, name in stages] == ["build", "runtime"]
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    runtime = dockerfile.split("AS runtime", 1)[1]
    (user,) = re.findall(r"^USER (\S+)", runtime, re.MULTILINE)
    assert user.split(":")[0] not in ("root", "0")
    uid = re.search(r"ARG UID=(\d+)", runtime)
    pod = one("Deployment", "onestop")["spec"]["template"]["spec"]
    assert uid is not None and int(uid.group(1)) == pod["securityContext"]["runAsUser"]
    for needed in ("app", "migrations", "policies", "alembic.ini"):
        assert re.search(rf"^COPY {re.escape(needed)}\b", dockerfile, re.MULTILINE), needed
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", runtime, re.MULTILINE)
    assert 'ENTRYPOINT ["onestop"]' in runtime
    assert 'CMD ["serve", "--host", "0.0.0.0"]' in runtime
    # The runtime dependencies only: no [dev] tools, no [embedded] PostgreSQL.
    assert re.search(r"pip install --no-compile -e \.$", dockerfile, re.MULTILINE)
    assert f"EXPOSE {config()['PORT']}" in runtime


def test_dockerignore_lets_in_only_what_the_image_needs() -> None:
    rules = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules[0] == "*"
    allowed = {r[1:].rstrip("/") for r in rules if r.startswith("!")}
    assert allowed == {
        "pyproject.toml",
        "README.md",
        "alembic.ini",
        "app",
        "migrations",
        "policies",
    }
