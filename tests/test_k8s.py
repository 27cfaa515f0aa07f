"""The deployment files: Kubernetes manifests validated offline against the Kubernetes schemas
(kubernetes-validate bundles them), the CloudNativePG kinds (Cluster, ScheduledBackup, the Barman
Cloud plugin's ObjectStore) against committed schema subsets, the links between the files
(selectors, names, settings, commands, the image) checked, and the data-safety properties
(three instances, synchronous replication, WAL archiving and scheduled backups, the app as the
least-privilege role) asserted."""

from __future__ import annotations

import json
import re
from datetime import datetime
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
SCHEMAS = Path(__file__).parent / "k8s_schemas"
CUSTOM_SCHEMAS = {
    ("postgresql.cnpg.io/v1", "Cluster"): SCHEMAS / "postgresql.cnpg.io-v1-cluster.subset.json",
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): (
        SCHEMAS / "postgresql.cnpg.io-v1-scheduledbackup.subset.json"
    ),
    ("barmancloud.cnpg.io/v1", "ObjectStore"): (
        SCHEMAS / "barmancloud.cnpg.io-v1-objectstore.subset.json"
    ),
}
# The oldest Kubernetes we promise to run on, and the newest the package knows.
VERSIONS = ["1.30", latest_version()]
# Applied by hand, never by `kubectl apply -k`: Secrets to fill in, and the restore example.
NOT_IN_KUSTOMIZATION = (".template.yaml", ".example.yaml")
CLUSTER = "onestop-db"
BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io"


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


CUSTOM = {api for api, _ in CUSTOM_SCHEMAS}
BUILT_IN = [(p, d) for p, d in all_resources() if d["apiVersion"] not in CUSTOM]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("path", "doc"), BUILT_IN, ids=[resource_id(p, d) for p, d in BUILT_IN])
def test_built_in_kinds_validate_against_the_kubernetes_schema(
    path: Path, doc: dict[str, Any], version: str
) -> None:
    # strict: unknown fields (a typo such as `readinesProbe`) are errors, as the API server's
    # strict field validation makes them.
    kubernetes_validate.validate(doc, version, strict=True)


CUSTOMS = [(p, d) for p, d in all_resources() if d["apiVersion"] in CUSTOM]


def validator(doc: dict[str, Any]) -> jsonschema.Draft202012Validator:
    key = (doc["apiVersion"], doc["kind"])
    assert key in CUSTOM_SCHEMAS, f"a new custom kind needs its schema in tests/k8s_schemas: {key}"
    schema = json.loads(CUSTOM_SCHEMAS[key].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize(("path", "doc"), CUSTOMS, ids=[resource_id(p, d) for p, d in CUSTOMS])
def test_custom_kinds_validate_against_the_committed_schema_subsets(
    path: Path, doc: dict[str, Any]
) -> None:
    validator(doc).validate(doc)
    broken = {**doc, "spec": {**doc["spec"], "instance": 2}}  # a typo'd field
    with pytest.raises(jsonschema.ValidationError):
        validator(doc).validate(broken)


def test_every_custom_kind_has_a_manifest() -> None:
    assert {(d["apiVersion"], d["kind"]) for _, d in CUSTOMS} == CUSTOM_SCHEMAS.keys()


@pytest.mark.parametrize(
    ("kind", "change"),
    [
        # Not an enum value of the CRD.
        ("Cluster", lambda s: s["postgresql"]["synchronous"].update(method="quorum")),
        ("Cluster", lambda s: s["postgresql"]["synchronous"].update(dataDurability="strict")),
        ("Cluster", lambda s: s["postgresql"]["synchronous"].update(number=0)),
        ("Cluster", lambda s: s["postgresql"]["synchronous"].pop("method")),
        # The old knobs and the new stanza are exclusive.
        ("Cluster", lambda s: s.update(minSyncReplicas=1)),
        ("Cluster", lambda s: s["managed"]["roles"][0].update(ensure="yes")),
        ("Cluster", lambda s: s["plugins"][0].pop("name")),
        ("Cluster", lambda s: s["affinity"].update(podAntiAffinityType="always")),
        ("ScheduledBackup", lambda s: s.update(method="snapshot")),
        ("ScheduledBackup", lambda s: s.update(schedule="0 2 * * *")),  # five fields: a k8s cron
        ("ScheduledBackup", lambda s: s.pop("pluginConfiguration")),
        ("ScheduledBackup", lambda s: s.pop("cluster")),
        ("ObjectStore", lambda s: s["configuration"].pop("destinationPath")),
        ("ObjectStore", lambda s: s["configuration"]["wal"].update(compression="zip")),
        ("ObjectStore", lambda s: s["configuration"].update(serverName="onestop-db")),
        ("ObjectStore", lambda s: s.update(retentionPolicy="30 days")),
    ],
)
def test_the_schema_subsets_reject_what_the_crds_reject(kind: str, change: Any) -> None:
    doc = json.loads(json.dumps(one(kind, None if kind != "Cluster" else CLUSTER)))
    validator(doc).validate(doc)
    change(doc["spec"])
    with pytest.raises(jsonschema.ValidationError):
        validator(doc).validate(doc)


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
    assert sorted(listed) == sorted(
        p for p in manifest_files() if not p.name.endswith(NOT_IN_KUSTOMIZATION)
    )


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


def test_the_secrets_are_templates_the_app_is_onestop_app_and_reads_go_to_a_replica() -> None:
    app = one("Secret", "onestop-database")["stringData"]
    migrations = one("Secret", "onestop-database-owner")["stringData"]
    role = one("Secret", "onestop-db-app-role")
    cluster = one("Cluster", CLUSTER)
    database = cluster["spec"]["bootstrap"]["initdb"]["database"]
    owner = cluster["spec"]["bootstrap"]["initdb"]["owner"]
    pattern = "postgresql://{user}:{password}@{host}:5432/{db}"
    assert app == {
        "DATABASE_URL": pattern.format(
            user="onestop_app", password="CHANGE-ME-APP", host=f"{CLUSTER}-rw", db=database
        ),
        "DATABASE_READ_URL": pattern.format(
            user="onestop_app", password="CHANGE-ME-APP", host=f"{CLUSTER}-ro", db=database
        ),
    }
    assert migrations == {
        "DATABASE_URL": pattern.format(
            user=owner, password="CHANGE-ME-OWNER", host=f"{CLUSTER}-rw", db=database
        )
    }
    assert owner != "onestop_app"
    # The password CNPG sets on the managed role is the one in the app's URLs.
    assert role["type"] == "kubernetes.io/basic-auth"
    assert role["stringData"] == {"username": "onestop_app", "password": "CHANGE-ME-APP"}
    assert cluster["spec"]["instances"] >= 2  # a replica behind -ro


def test_pods_read_the_configmap_and_their_secret() -> None:
    # The service as onestop_app, the migrations as the owner.
    for spec, secret in (
        (one("Deployment", "onestop")["spec"]["template"]["spec"], "onestop-database"),
        (one("Job", "onestop-migrate")["spec"]["template"]["spec"], "onestop-database-owner"),
    ):
        for each in spec.get("initContainers", []) + spec["containers"]:
            sources = {next(iter(s)): next(iter(s.values()))["name"] for s in each["envFrom"]}
            assert sources == {"configMapRef": "onestop-config", "secretRef": secret}


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


# --- data safety (README "Operations") ----------------------------------------------------------


def test_three_instances_with_quorum_synchronous_replication_that_never_degrades() -> None:
    spec = one("Cluster", CLUSTER)["spec"]
    assert spec["instances"] == 3
    # A commit waits for one standby; with two standbys one may be down and commits go on.
    assert spec["postgresql"]["synchronous"] == {
        "method": "any",
        "number": 1,
        "dataDurability": "required",
    }
    assert spec["postgresql"]["synchronous"]["number"] < spec["instances"] - 1
    assert "minSyncReplicas" not in spec and "maxSyncReplicas" not in spec
    assert "synchronous_commit" not in spec["postgresql"]["parameters"]  # stays `on`
    # One instance per node, and CNPG's own disruption budgets.
    assert spec["affinity"] == {
        "enablePodAntiAffinity": True,
        "topologyKey": "kubernetes.io/hostname",
        "podAntiAffinityType": "required",
    }
    assert spec["enablePDB"] is True
    assert spec["enableSuperuserAccess"] is False


def test_wal_is_archived_and_base_backups_are_scheduled_to_the_object_store() -> None:
    spec = one("Cluster", CLUSTER)["spec"]
    store = one("ObjectStore", "onestop-backups")
    (plugin,) = spec["plugins"]
    assert plugin == {
        "name": BARMAN_PLUGIN,
        "isWALArchiver": True,
        "parameters": {"barmanObjectName": store["metadata"]["name"]},
    }
    assert "backup" not in spec  # the deprecated in-tree barmanObjectStore is not used
    backup = one("ScheduledBackup", "onestop-db-nightly")["spec"]
    assert backup["cluster"] == {"name": CLUSTER}
    assert backup["method"] == "plugin"
    assert backup["pluginConfiguration"] == {"name": BARMAN_PLUGIN}
    *at, day, month, weekday = backup["schedule"].split()
    assert all(field.isdigit() for field in at), "a fixed time of day (seconds minutes hours)"
    assert [day, month, weekday] == ["*", "*", "*"], "a base backup every day"
    assert backup["immediate"] is True
    assert re.fullmatch(r"[1-9][0-9]*d", store["spec"]["retentionPolicy"])
    # The credentials come from the template Secret, by its keys.
    credentials = one("Secret", "onestop-backup-credentials")["stringData"]
    assert all(v == "CHANGE-ME" for v in credentials.values())
    for ref in store["spec"]["configuration"]["s3Credentials"].values():
        assert ref["name"] == "onestop-backup-credentials" and ref["key"] in credentials


def test_the_app_role_is_managed_without_privileges_and_is_not_the_owner() -> None:
    spec = one("Cluster", CLUSTER)["spec"]
    (role,) = spec["managed"]["roles"]
    assert role["name"] == "onestop_app" != spec["bootstrap"]["initdb"]["owner"]
    assert role["ensure"] == "present" and role["login"] is True
    for privilege in ("superuser", "createdb", "createrole", "replication", "bypassrls"):
        assert role[privilege] is False, privilege
    assert role["passwordSecret"] == {
        "name": one("Secret", "onestop-db-app-role")["metadata"]["name"]
    }
    # Its connection limit holds every pod's pool at the HPA's maximum (configmap.yaml: 5 kept
    # + 5 overflow per pod, 6 pods: 60 to the primary), inside max_connections.
    per_pod = 2 * int(config()["ONESTOP_DB_POOL_SIZE"])
    pods = one("HorizontalPodAutoscaler", "onestop")["spec"]["maxReplicas"]
    assert (
        per_pod * pods
        <= role["connectionLimit"]
        < int(spec["postgresql"]["parameters"]["max_connections"])
    )


def test_the_restore_example_recovers_from_the_archive_into_a_new_cluster() -> None:
    restore = one("Cluster", "onestop-db-restore")["spec"]
    recovery = restore["bootstrap"]["recovery"]
    (source,) = restore["externalClusters"]
    assert recovery["source"] == source["name"]
    assert source["plugin"] == {
        "name": BARMAN_PLUGIN,
        "parameters": {"barmanObjectName": "onestop-backups", "serverName": CLUSTER},
    }
    target = datetime.fromisoformat(recovery["recoveryTarget"]["targetTime"])
    assert target.utcoffset() is not None, "a target time without its zone is ambiguous"
    # It archives under a name of its own, never over the history it is restored from.
    (plugin,) = restore["plugins"]
    assert plugin["isWALArchiver"] is True
    assert plugin["parameters"]["serverName"] not in ("", CLUSTER)
    # The same safety as the original.
    original = one("Cluster", CLUSTER)["spec"]
    for key in ("instances", "affinity", "enablePDB", "storage", "walStorage"):
        assert restore[key] == original[key], key
    assert restore["postgresql"] == original["postgresql"]
    assert (
        restore["managed"]["roles"][0]["passwordSecret"]
        == (original["managed"]["roles"][0]["passwordSecret"])
    )
