//! Docker Compose files with the line of every service and of the keys rules ask about.
//!
//! YAML merge keys (`<<: *defaults`, common for shared logging/deploy blocks) and same-file
//! `extends:` are followed, so a service that inherits a key has it.

use super::yaml::Node;
use crate::index::join_path as join;
use crate::index::Index;

#[derive(Debug, Clone, Default)]
pub struct ComposeFile {
    pub path: String,
    /// Line of the top-level `services:` key.
    pub services_line: Option<u32>,
    pub services: Vec<Service>,
    /// Top-level `networks:` entries (name, line).
    pub networks: Vec<(String, u32)>,
    /// Top-level `volumes:` entries (name, line).
    pub volumes: Vec<(String, u32)>,
    /// The file could not be parsed as YAML.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Service {
    pub name: String,
    /// Line of the service's key under `services:`.
    pub line: u32,
    pub image: Option<String>,
    pub build: Option<Build>,
    pub restart: Option<String>,
    /// `deploy.restart_policy` is set (Swarm / `docker stack`).
    pub deploy_restart: bool,
    pub healthcheck: Option<Healthcheck>,
    pub mem_limit: bool,
    pub cpu_limit: bool,
    /// Networks the service joins (list or map form).
    pub networks: Vec<String>,
    pub network_mode: Option<String>,
    pub logging: Option<Logging>,
    pub ports: Vec<String>,
    pub volumes: Vec<String>,
    pub depends_on: Vec<String>,
    /// Services this one waits for with `condition: service_completed_successfully`: jobs
    /// (migrations, seeds) that run to completion.
    pub awaits_completion: Vec<String>,
    pub profiles: Vec<String>,
    /// `extends:` points at another file: keys may come from there.
    pub extends_other_file: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Build {
    /// Directory relative to the compose file (`.` when not given).
    pub context: String,
    /// Dockerfile relative to the context, when given.
    pub dockerfile: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Healthcheck {
    pub line: u32,
    /// `disable: true` or `test: ["NONE"]`.
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logging {
    pub line: u32,
    pub driver: Option<String>,
    /// `options.max-size` is set (rotation of the default json-file driver).
    pub max_size: bool,
}

/// Images of development-only tools: mail catchers, database admin UIs, browsers and test
/// runners. They help a developer or a test run; they are not the application or what it
/// depends on.
#[rustfmt::skip]
const DEV_TOOL_IMAGES: &[&str] = &[
    "mailhog", "mailpit", "maildev", "mailcatcher", "smtp4dev", "mailcrab", "inbucket",
    "greenmail", "adminer", "pgadmin4", "phpmyadmin", "mongo-express", "redis-commander",
    "redisinsight", "kafka-ui", "kafdrop", "dbgate", "cloudbeaver", "playwright",
    "standalone-chrome", "standalone-firefox", "standalone-edge",
];

/// Words of service names that mark the same tools, and test runners (`playwright`, `e2e`).
#[rustfmt::skip]
const DEV_TOOL_NAMES: &[&str] = &[
    "mailhog", "mailpit", "maildev", "mailcatcher", "smtp4dev", "mailcrab", "inbucket",
    "adminer", "pgadmin", "phpmyadmin", "playwright", "cypress", "selenium", "e2e", "test",
    "tests", "tester", "testrunner",
];

/// Images of backing services (databases, brokers, proxies, observability, dev tools): a compose
/// file made of only these runs the dependencies, not the application.
#[rustfmt::skip]
const INFRA_IMAGES: &[&str] = &[
    "postgres", "postgresql", "postgis", "timescaledb", "mysql", "mariadb", "mongo", "mongodb",
    "mongo-express", "redis", "redis-stack", "redis-stack-server", "valkey", "keydb", "dragonfly",
    "memcached", "rabbitmq", "kafka", "cp-kafka", "cp-zookeeper", "zookeeper", "redpanda", "pulsar",
    "nats", "activemq", "activemq-artemis", "elasticsearch", "opensearch", "kibana",
    "opensearch-dashboards", "logstash", "solr", "meilisearch", "typesense", "qdrant", "weaviate",
    "milvus", "chroma", "minio", "localstack", "azurite", "dynamodb-local", "mailhog", "mailpit",
    "maildev", "smtp4dev", "nginx", "httpd", "traefik", "caddy", "haproxy", "envoy", "jaeger",
    "all-in-one", "zipkin", "prometheus", "grafana", "loki", "promtail", "tempo", "alertmanager",
    "otel-collector", "opentelemetry-collector", "opentelemetry-collector-contrib", "adminer",
    "pgadmin4", "phpmyadmin", "keycloak", "vault", "consul", "etcd", "clickhouse-server",
    "clickhouse", "cassandra", "scylla", "neo4j", "influxdb", "cockroach", "couchdb", "couchbase",
    "mssql-server", "azure-sql-edge", "temporal", "temporal-admin-tools", "wiremock", "mockserver",
    "selenium", "standalone-chrome", "standalone-firefox", "kafka-ui", "redisinsight",
    "redis-commander", "flyway", "liquibase", "busybox", "alpine", "ubuntu", "debian",
];

pub fn is_infra_image(image: &str) -> bool {
    let short = crate::model::dockerfile::ImageRef::parse(image).short_name();
    INFRA_IMAGES.contains(&short.as_str()) || short.starts_with("selenium")
}

impl Service {
    /// The project's own application: built from the repository, or an image that is no
    /// backing service (database, broker, proxy) and no development tool.
    pub fn is_application(&self) -> bool {
        !self.is_dev_tool()
            && (self.build.is_some() || self.image.as_deref().is_some_and(|i| !is_infra_image(i)))
    }

    /// A development-only tool (mail catcher, database admin UI, test runner), by image or name.
    pub fn is_dev_tool(&self) -> bool {
        let image = self
            .image
            .as_deref()
            .map(|i| {
                crate::model::dockerfile::ImageRef::parse(i)
                    .name
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let short = image.rsplit('/').next().unwrap_or("");
        let name = self.name.to_ascii_lowercase();
        DEV_TOOL_IMAGES.contains(&short)
            || short.starts_with("selenium")
            || image.starts_with("cypress/")
            || name
                .split(['-', '_', '.'])
                .any(|w| DEV_TOOL_NAMES.contains(&w))
    }
}

impl ComposeFile {
    /// Directory of the file ("" at the root).
    pub fn dir(&self) -> &str {
        match self.path.rfind('/') {
            Some(i) => &self.path[..i],
            None => "",
        }
    }

    /// An override or environment variant (`docker-compose.override.yml`, `compose.prod.yaml`).
    pub fn is_variant(&self) -> bool {
        let name = crate::index::file_name(&self.path).to_ascii_lowercase();
        let stem = name
            .trim_end_matches(".yml")
            .trim_end_matches(".yaml")
            .to_string();
        stem.contains('.') || stem.contains("compose-")
    }

    /// Compose files used only by tests or CI (`docker-compose.test.yml`, `compose.ci.yaml`).
    pub fn is_test_only(&self) -> bool {
        let name = crate::index::file_name(&self.path).to_ascii_lowercase();
        ["test", "tests", "ci", "e2e", "it", "integration"]
            .iter()
            .any(|w| name.split(['.', '-', '_']).any(|seg| seg == *w))
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// Repo path of the build context of a service that builds an image.
    pub fn build_context(&self, build: &Build) -> Option<String> {
        normalize(&join(self.dir(), &build.context))
    }

    /// Repo path of the Dockerfile a service builds (`Dockerfile` in the context by default).
    pub fn build_dockerfile(&self, build: &Build) -> Option<String> {
        let ctx = self.build_context(build)?;
        normalize(&join(
            &ctx,
            build.dockerfile.as_deref().unwrap_or("Dockerfile"),
        ))
    }
}

/// `a/b/../c/./d` → `a/c/d`; None when the path leaves the repository (or is a URL).
pub fn normalize(path: &str) -> Option<String> {
    if path.contains("://") || path.starts_with('/') {
        return None;
    }
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    Some(out.join("/"))
}

/// `compose.yaml`, `docker-compose.yml`, `docker-compose.override.yml`, `compose.prod.yaml`…
pub fn is_compose_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let Some(stem) = n.strip_suffix(".yml").or_else(|| n.strip_suffix(".yaml")) else {
        return false;
    };
    stem == "compose"
        || stem == "docker-compose"
        || stem.starts_with("docker-compose.")
        || stem.starts_with("docker-compose-")
        || stem.starts_with("compose.")
}

fn is_vendored(path: &str) -> bool {
    path.split('/').any(|seg| {
        matches!(
            seg,
            "node_modules" | "vendor" | "third_party" | "third-party" | ".venv" | "venv"
        )
    })
}

/// Every compose file of the project (vendored trees and test fixtures left out), parsed.
pub fn load_all(index: &Index) -> Vec<ComposeFile> {
    index
        .text_files()
        .filter(|f| is_compose_name(f.name()) && !is_vendored(&f.path) && !f.is_test)
        .filter_map(|f| {
            let parsed = index.yaml(&f.path)?;
            Some(match parsed {
                Ok(y) => match y.root() {
                    Some(root) if root.get("services").is_some() => from_root(&f.path, root),
                    // YAML without services is not a compose file (or an empty one).
                    _ => return None,
                },
                Err(e) => ComposeFile {
                    path: f.path.clone(),
                    error: Some(e.to_string()),
                    ..Default::default()
                },
            })
        })
        .collect()
}

/// Value of `key` in a mapping, following `<<` merge keys (explicit keys win).
pub fn merged<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    merged_depth(node, key, 0)
}

fn merged_depth<'a>(node: &'a Node, key: &str, depth: usize) -> Option<&'a Node> {
    if let Some(v) = node.get(key) {
        return Some(v);
    }
    if depth > 8 {
        return None;
    }
    let base = node.get("<<")?;
    if base.is_map() {
        return merged_depth(base, key, depth + 1);
    }
    base.items()
        .iter()
        .find_map(|b| merged_depth(b, key, depth + 1))
}

fn keys(node: &Node) -> Vec<(String, u32)> {
    node.entries()
        .iter()
        .filter_map(|(k, _)| k.as_str().map(|s| (s.to_string(), k.line)))
        .filter(|(k, _)| k != "<<")
        .collect()
}

pub fn from_root(path: &str, root: &Node) -> ComposeFile {
    let services_node = root.get("services");
    let mut services = Vec::new();
    if let Some(sn) = services_node {
        for (k, v) in sn.entries() {
            let Some(name) = k.as_str() else { continue };
            if name == "<<" {
                continue;
            }
            services.push(service(name, k.line, v, sn, 0));
        }
    }
    ComposeFile {
        path: path.to_string(),
        services_line: root.key_line("services"),
        services,
        networks: root.get("networks").map(keys).unwrap_or_default(),
        volumes: root.get("volumes").map(keys).unwrap_or_default(),
        error: None,
    }
}

fn scalar(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

/// Names in a list (`[a, b]`), a map (`{a: {...}}`) or a list of one-key maps.
fn names(node: Option<&Node>) -> Vec<String> {
    let Some(n) = node else { return Vec::new() };
    if n.is_map() {
        return keys(n).into_iter().map(|(k, _)| k).collect();
    }
    n.items()
        .iter()
        .filter_map(|i| {
            i.as_str().map(str::to_string).or_else(|| {
                i.entries()
                    .first()
                    .and_then(|(k, _)| k.as_str())
                    .map(str::to_string)
            })
        })
        .collect()
}

fn service(name: &str, line: u32, node: &Node, all: &Node, depth: usize) -> Service {
    let get = |k: &str| merged(node, k);
    let mut s = Service {
        name: name.to_string(),
        line,
        image: scalar(get("image")),
        build: get("build").map(|b| match b.as_str() {
            Some(ctx) => Build {
                context: ctx.to_string(),
                dockerfile: None,
            },
            None => Build {
                context: scalar(b.get("context")).unwrap_or_else(|| ".".to_string()),
                dockerfile: scalar(b.get("dockerfile")),
            },
        }),
        restart: scalar(get("restart")),
        deploy_restart: get("deploy")
            .and_then(|d| merged(d, "restart_policy"))
            .is_some(),
        healthcheck: get("healthcheck").map(|h| {
            let test_none = merged(h, "test").is_some_and(|t| {
                t.strings()
                    .first()
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case("none"))
            });
            Healthcheck {
                // The key's line; a block merged in from an anchor cites the service.
                line: node.key_line("healthcheck").unwrap_or(line),
                disabled: merged(h, "disable").and_then(Node::as_bool) == Some(true) || test_none,
            }
        }),
        mem_limit: false,
        cpu_limit: false,
        networks: names(get("networks")),
        network_mode: scalar(get("network_mode")),
        logging: get("logging").map(|l| Logging {
            line: node.key_line("logging").unwrap_or(line),
            driver: scalar(merged(l, "driver")),
            max_size: merged(l, "options")
                .and_then(|o| merged(o, "max-size"))
                .is_some(),
        }),
        ports: get("ports")
            .map(|p| {
                p.items()
                    .iter()
                    .filter_map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .or_else(|| scalar(i.get("published")))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        volumes: get("volumes")
            .map(|v| {
                v.items()
                    .iter()
                    .filter_map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .or_else(|| scalar(i.get("source")))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        depends_on: names(get("depends_on")),
        awaits_completion: get("depends_on")
            .filter(|d| d.is_map())
            .map(|d| {
                d.entries()
                    .iter()
                    .filter(|(_, v)| {
                        v.get("condition").and_then(Node::as_str)
                            == Some("service_completed_successfully")
                    })
                    .filter_map(|(k, _)| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        profiles: get("profiles")
            .map(|p| p.strings().into_iter().map(str::to_string).collect())
            .unwrap_or_default(),
        extends_other_file: false,
    };
    let limits = get("deploy")
        .and_then(|d| merged(d, "resources"))
        .and_then(|r| merged(r, "limits"));
    s.mem_limit = get("mem_limit").is_some() || limits.and_then(|l| merged(l, "memory")).is_some();
    s.cpu_limit = get("cpus").is_some()
        || get("cpu_quota").is_some()
        || limits.and_then(|l| merged(l, "cpus")).is_some();
    // `extends:` fills what the service leaves out from another service.
    if let Some(ext) = get("extends") {
        let (base_name, file) = match ext.as_str() {
            Some(n) => (Some(n.to_string()), None),
            None => (scalar(ext.get("service")), scalar(ext.get("file"))),
        };
        if file.is_some() {
            s.extends_other_file = true;
        } else if let Some(base) = base_name
            .as_deref()
            .filter(|b| *b != name && depth < 8)
            .and_then(|b| all.get(b).map(|n| service(b, line, n, all, depth + 1)))
        {
            inherit(&mut s, base);
        }
    }
    s
}

fn inherit(s: &mut Service, base: Service) {
    s.image = s.image.take().or(base.image);
    s.build = s.build.take().or(base.build);
    s.restart = s.restart.take().or(base.restart);
    s.deploy_restart |= base.deploy_restart;
    s.healthcheck = s.healthcheck.take().or(base.healthcheck);
    s.mem_limit |= base.mem_limit;
    s.cpu_limit |= base.cpu_limit;
    if s.networks.is_empty() {
        s.networks = base.networks;
    }
    s.network_mode = s.network_mode.take().or(base.network_mode);
    s.logging = s.logging.take().or(base.logging);
    s.extends_other_file |= base.extends_other_file;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(files: &[(&str, &str)]) -> Vec<ComposeFile> {
        load_all(&Index::from_files(files))
    }

    #[test]
    fn names_of_compose_files() {
        for n in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.yaml",
            "docker-compose.override.yml",
            "docker-compose.prod.yaml",
            "compose.dev.yaml",
        ] {
            assert!(is_compose_name(n), "{n}");
        }
        for n in [
            "compose.json",
            "composer.yml",
            "my-compose.yml",
            "docker-compose",
        ] {
            assert!(!is_compose_name(n), "{n}");
        }
    }

    #[test]
    fn services_with_lines_and_keys() {
        let c = load(&[(
            "docker-compose.yml",
            "x-logging: &log\n  logging:\n    driver: json-file\n    options:\n      max-size: 10m\nservices:\n  api:\n    <<: *log\n    build:\n      context: ./api\n      dockerfile: Dockerfile.prod\n    restart: unless-stopped\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n    networks: [backend]\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n    mem_limit: 1g\n    ports:\n      - \"5432:5432\"\n    networks:\n      backend:\n        aliases: [pg]\nnetworks:\n  backend:\nvolumes:\n  data:\n",
        )]);
        assert_eq!(c.len(), 1);
        let f = &c[0];
        assert_eq!(f.services_line, Some(6));
        assert_eq!(f.networks, vec![("backend".to_string(), 32)]);
        assert_eq!(f.volumes.len(), 1);
        let api = f.service("api").unwrap();
        assert_eq!(api.line, 7);
        assert_eq!(
            api.build,
            Some(Build {
                context: "./api".into(),
                dockerfile: Some("Dockerfile.prod".into())
            })
        );
        assert_eq!(api.restart.as_deref(), Some("unless-stopped"));
        assert!(api.mem_limit && !api.cpu_limit);
        let log = api.logging.as_ref().unwrap();
        assert!(log.max_size);
        assert_eq!(log.driver.as_deref(), Some("json-file"));
        assert_eq!(api.networks, vec!["backend"]);
        assert_eq!(api.depends_on, vec!["db"]);
        let b = api.build.as_ref().unwrap();
        assert_eq!(
            f.build_dockerfile(b).as_deref(),
            Some("api/Dockerfile.prod")
        );
        let db = f.service("db").unwrap();
        assert_eq!(db.healthcheck.as_ref().map(|h| h.line), Some(23));
        assert!(db.mem_limit);
        assert_eq!(db.ports, vec!["5432:5432"]);
        assert_eq!(db.networks, vec!["backend"]);
        assert!(db.restart.is_none());
    }

    #[test]
    fn nested_merge_keys() {
        // The pattern of large compose files: defaults that merge other defaults.
        let c = load(&[(
            "docker-compose.yml",
            "x-restart: &restart\n  restart: unless-stopped\nx-hc: &hc\n  interval: 30s\nx-app: &app\n  <<: *restart\n  image: app-local\n  build:\n    context: ./app\nservices:\n  web:\n    <<: *app\n    healthcheck:\n      <<: *hc\n      test: [\"CMD\", \"true\"]\n  worker:\n    <<: [*app]\n    command: run worker\n",
        )]);
        let f = &c[0];
        let web = f.service("web").unwrap();
        assert_eq!(web.restart.as_deref(), Some("unless-stopped"));
        assert_eq!(web.healthcheck.as_ref().map(|h| h.line), Some(13));
        assert_eq!(
            web.build.as_ref().map(|b| b.context.as_str()),
            Some("./app")
        );
        let worker = f.service("worker").unwrap();
        assert_eq!(worker.restart.as_deref(), Some("unless-stopped"));
        assert!(worker.healthcheck.is_none());
        assert_eq!(f.services.len(), 2);
    }

    #[test]
    fn extends_and_disabled_healthchecks() {
        let c = load(&[(
            "compose.yaml",
            "services:\n  base:\n    image: app:1\n    restart: always\n    healthcheck:\n      disable: true\n  worker:\n    extends: base\n  other:\n    extends:\n      file: common.yml\n      service: x\n",
        )]);
        let f = &c[0];
        let w = f.service("worker").unwrap();
        assert_eq!(w.restart.as_deref(), Some("always"));
        assert!(w.healthcheck.as_ref().unwrap().disabled);
        assert!(f.service("other").unwrap().extends_other_file);
    }

    #[test]
    fn development_tools_by_image_or_name() {
        // nestjs-boilerplate and full-stack-fastapi-template compose services.
        let svc = |name: &str, image: Option<&str>| Service {
            name: name.into(),
            image: image.map(str::to_string),
            ..Default::default()
        };
        for s in [
            svc("maildev", Some("maildev/maildev:2.0.5")),
            svc("adminer", Some("dpage/pgadmin4")),
            svc("db-ui", Some("adminer")),
            svc("mailcatcher", Some("schickling/mailcatcher")),
            svc("playwright", None),
            svc("runner", Some("cypress/included:13.6.0")),
            svc("maildev", None),
        ] {
            assert!(s.is_dev_tool(), "{s:?}");
        }
        for s in [
            svc("postgres", Some("postgres:17.4-alpine")),
            svc("redis", Some("redis:7-alpine")),
            svc("app", None),
            svc("backend", Some("ghcr.io/acme/backend:1")),
            svc("latest", Some("registry.example.com:5000/testing/api")),
        ] {
            assert!(!s.is_dev_tool(), "{s:?}");
        }
    }

    #[test]
    fn variants_test_files_and_broken_yaml() {
        let c = load(&[
            // Named like a test file: left out with the other test files.
            ("docker-compose.test.yml", "services:\n  a:\n    image: x\n"),
            ("docker-compose.ci.yml", "services:\n  a:\n    image: x\n"),
            ("compose.yaml", "services: [\n"),
            (
                "docker-compose.override.yml",
                "services:\n  a:\n    restart: always\n",
            ),
            (
                "tests/docker-compose.yml",
                "services:\n  a:\n    image: x\n",
            ),
            ("compose.yml", "just: yaml\n"),
        ]);
        assert_eq!(c.len(), 3);
        let by = |p: &str| c.iter().find(|f| f.path == p).unwrap();
        assert!(by("compose.yaml").error.is_some());
        assert!(by("docker-compose.ci.yml").is_test_only());
        assert!(by("docker-compose.override.yml").is_variant());
        assert!(!by("compose.yaml").is_variant());
        assert!(!by("docker-compose.override.yml").is_test_only());
    }
}
