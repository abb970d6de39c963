//! Reliability and incident readiness: incident process, runbooks, disaster recovery, SLOs,
//! graceful shutdown, feature flags, retries and circuit breakers.

use super::observability::{
    deps, grep, is_doc, is_yaml, lazy_gated, lazy_re, project_anchor, signal_hits, vendored_file,
    ALL_SOURCES,
};
use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::StackId;
use crate::index::IndexedFile;
use crate::pattern::Gated;
use regex::Regex;
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------------------
// Operational documents
// ---------------------------------------------------------------------------------------------

/// Project documentation that may hold operational procedures (not licences, changelogs or
/// the community files whose wording would mislead: a code of conduct talks about incidents).
fn ops_docs<'a>(ctx: &'a Context) -> impl Iterator<Item = &'a IndexedFile> {
    ctx.index.text_files().filter(|f| {
        if !is_doc(f) || vendored_file(f) {
            return false;
        }
        let upper = f.name().to_ascii_uppercase();
        ![
            "CHANGELOG",
            "CHANGES",
            "HISTORY",
            "LICENSE",
            "LICENCE",
            "SECURITY",
            "CODE_OF_CONDUCT",
            "CONTRIBUTING",
            "NOTICE",
        ]
        .iter()
        .any(|p| upper.starts_with(p))
    })
}

fn path_has(f: &IndexedFile, words: &[&str]) -> bool {
    let lower = f.path.to_ascii_lowercase();
    words.iter().any(|w| lower.contains(w))
}

/// First line of a document matching `re`, with the line as note (headings included: in
/// markdown `#` starts a title, not a comment).
fn first_match(f: &IndexedFile, re: &Gated) -> Option<Evidence> {
    let (i, line) = re.matching_lines(f.text()?).next()?;
    Some(Evidence::at(f.path.clone(), i as u32 + 1).note(crate::model::ci::shorten(line)))
}

fn incident_response(ctx: &Context) -> Outcome {
    static HEADING: LazyLock<Gated> =
        lazy_gated!(r"(?i)^#{1,6}\s.*\b(?:incident|on-?call|post-?mortem)");
    static PROCESS: LazyLock<Gated> = lazy_gated!(
        r"(?i)\bseverity\b|\bsev[ -]?[0-4]\b|\bescalat|\bon-?call\b|\bpager(?:duty)?\b|\bopsgenie\b|incident commander|\bpost-?mortem"
    );
    let found: Vec<Evidence> = ops_docs(ctx)
        .filter(|f| {
            path_has(
                f,
                &[
                    "incident",
                    "on-call",
                    "oncall",
                    "on_call",
                    "postmortem",
                    "post-mortem",
                    "escalation",
                ],
            ) || f
                .text()
                .is_some_and(|t| HEADING.matching_lines(t).next().is_some())
        })
        .filter_map(|f| first_match(f, &PROCESS))
        .collect();
    Outcome::present(
        found,
        "an incident response process is documented",
        "no incident response document (severity levels, escalation, on-call, post-mortems): \
         every outage is handled ad hoc",
        ctx.index.repo_anchor(),
    )
}

fn runbooks(ctx: &Context) -> Outcome {
    static RUNBOOK_URL: LazyLock<Gated> = lazy_gated!(r"\brunbook_?url\s*:");
    let mut found: Vec<Evidence> = ops_docs(ctx)
        .filter(|f| {
            let lower = f.path.to_ascii_lowercase();
            lower.contains("runbook")
                || lower.contains("playbook")
                || lower.starts_with("docs/operations/")
                || lower.starts_with("docs/ops/")
                || lower.contains("/docs/operations/")
        })
        .take(10)
        .map(|f| Evidence::file(f.path.clone()).note("runbook"))
        .collect();
    found.extend(
        grep(ctx, is_yaml, &RUNBOOK_URL)
            .into_iter()
            .take(3)
            .map(|e| e.note("alert links to a runbook")),
    );
    Outcome::present(
        found,
        "runbooks are written down",
        "no runbooks (runbooks/, docs/runbooks, RUNBOOK.md): on-call engineers improvise \
         diagnosis and recovery",
        ctx.index.repo_anchor(),
    )
}

fn disaster_recovery(ctx: &Context) -> Outcome {
    static RPO: LazyLock<Gated> = lazy_gated!(
        r"\bRPO\b|\bRTO\b|(?i)^#{1,6}\s.*(?:disaster recovery|\bbackups?\b|\brestor(?:e|ing) (?:a |the )?(?:backup|database|db|data)\b)"
    );
    static BACKUP_CODE: LazyLock<Gated> = lazy_gated!(
        r#"^\s*resource\s+"(?:aws_backup_plan|aws_backup_selection|google_sql_backup_run|azurerm_backup_policy_\w+)"|\bbackup_retention_period\s*=\s*[1-9]|\bpoint_in_time_recovery(?:_enabled)?\s*=\s*true|\bbackup_configuration\s*\{"#
    );
    static VELERO: LazyLock<Gated> = lazy_gated!(r"^\s*kind:\s*(?:Schedule|Backup)\b");
    static DUMP: LazyLock<Gated> = lazy_gated!(
        r"\b(?:pg_dump(?:all)?|pg_basebackup|mysqldump|mongodump|pgbackrest|wal-g|restic\s+backup|borg\s+create)\b"
    );
    let mut found: Vec<Evidence> = ops_docs(ctx)
        .filter_map(|f| {
            let named = path_has(
                f,
                &[
                    "disaster",
                    "backup",
                    "restore",
                    "business-continuity",
                    "business_continuity",
                ],
            ) || matches!(
                f.name().to_ascii_lowercase().as_str(),
                "dr.md" | "bcp.md" | "drp.md"
            );
            match first_match(f, &RPO) {
                Some(e) => Some(e),
                None if named => Some(Evidence::file(f.path.clone()).note("recovery document")),
                None => None,
            }
        })
        .collect();
    found.extend(grep(ctx, |f| f.ext() == "tf", &BACKUP_CODE));
    found.extend(grep(
        ctx,
        |f| is_yaml(f) && f.text().is_some_and(|t| t.contains("velero.io")),
        &VELERO,
    ));
    // Backup jobs: scheduled dumps (CronJob/compose) or a backup script.
    found.extend(
        grep(
            ctx,
            |f| {
                let backupish = f.name().to_ascii_lowercase().contains("backup");
                (is_yaml(f) && (backupish || f.text().is_some_and(|t| t.contains("CronJob"))))
                    || (backupish && matches!(f.ext(), "sh" | "bash" | "ps1" | ""))
            },
            &DUMP,
        )
        .into_iter()
        .map(|e| e.note("automated backup")),
    );
    Outcome::present(
        found,
        "backups and disaster recovery are documented or automated",
        "no disaster recovery or backup documentation (RPO/RTO, restore procedure) and no \
         backup automation",
        ctx.index.repo_anchor(),
    )
}

fn slos(ctx: &Context) -> Outcome {
    static SPEC: LazyLock<Gated> = lazy_gated!(
        r#"^\s*kind:\s*(?:SLO|PrometheusServiceLevel|ServiceLevelObjective)\b|^\s*apiVersion:\s*["']?openslo/|^\s*version:\s*["']?prometheus/v1\b"#
    );
    static TF: LazyLock<Gated> = lazy_gated!(
        r#"^\s*resource\s+"(?:google_monitoring_slo|datadog_service_level_objective|newrelic_service_level|aws_applicationsignals_service_level_objective|honeycombio_slo|grafana_slo|sumologic_slo|dynatrace_slo\w*)""#
    );
    static DOC_SLO: LazyLock<Gated> =
        lazy_gated!(r"\bSLOs?\b|\bSLIs?\b|(?i:service[- ]level objectives?)");
    static TARGET: LazyLock<Regex> = lazy_re!(r"\b9\d(?:\.\d+)?\s*%");
    let mut found = grep(ctx, is_yaml, &SPEC);
    found.extend(grep(ctx, |f| f.ext() == "tf", &TF));
    // A written SLO names an objective with a target: "99.9% of requests under 300 ms".
    found.extend(ops_docs(ctx).filter_map(|f| {
        let text = f.text()?;
        if !TARGET.is_match(text) {
            return None;
        }
        first_match(f, &DOC_SLO).map(|e| e.note("SLO document"))
    }));
    Outcome::present(
        found,
        "service level objectives are defined",
        "no SLOs (OpenSLO/sloth specs, SLO Terraform resources or a document with targets): \
         there is no agreed definition of \"reliable enough\"",
        ctx.index.repo_anchor(),
    )
}

// ---------------------------------------------------------------------------------------------
// Runtime resilience
// ---------------------------------------------------------------------------------------------

fn graceful_shutdown(ctx: &Context) -> Outcome {
    static CONFIG: LazyLock<Gated> = lazy_gated!(
        r"\bserver\.shutdown\s*[=:]\s*graceful\b|^\s*shutdown:\s*graceful\b|--graceful-timeout\b|--timeout-graceful-shutdown\b|^\s*preStop:"
    );
    let mut found = signal_hits(ctx, "rel-graceful-shutdown", "shutdown handling");
    found.extend(grep(
        ctx,
        |f| {
            let name = f.name();
            (name.starts_with("application") && matches!(f.ext(), "properties" | "yml" | "yaml"))
                || is_yaml(f)
                || name == "Dockerfile"
                || name == "Procfile"
        },
        &CONFIG,
    ));
    Outcome::present(
        found,
        "the service shuts down gracefully",
        "no graceful shutdown (SIGTERM handler, server Shutdown/drain, lifespan shutdown, \
         server.shutdown=graceful): deploys and scale-downs cut in-flight requests",
        project_anchor(ctx),
    )
}

const FLAG_DEPS: &[&str] = &[
    "npm:launchdarkly-node-server-sdk",
    "npm:launchdarkly-js-client-sdk",
    "npm:launchdarkly-react-client-sdk",
    "npm:@launchdarkly/*",
    "npm:unleash-client",
    "npm:unleash-proxy-client",
    "npm:@unleash/*",
    "npm:flagsmith",
    "npm:flagsmith-nodejs",
    "npm:@growthbook/*",
    "npm:@openfeature/*",
    "npm:configcat-*",
    "npm:@splitsoftware/*",
    "npm:@devcycle/*",
    "npm:@statsig/*",
    "npm:statsig-node",
    "npm:@vercel/flags",
    "pypi:launchdarkly-server-sdk",
    "pypi:UnleashClient",
    "pypi:flagsmith",
    "pypi:growthbook",
    "pypi:openfeature-sdk",
    "pypi:configcat-client",
    "pypi:splitio-client",
    "pypi:django-waffle",
    "pypi:django-flags",
    "pypi:statsig",
    "go:github.com/launchdarkly/go-server-sdk*",
    "go:github.com/Unleash/unleash-client-go*",
    "go:github.com/Flagsmith/flagsmith-go-client*",
    "go:github.com/open-feature/go-sdk*",
    "go:github.com/configcat/go-sdk*",
    "go:github.com/splitio/go-client*",
    "go:github.com/growthbook/growthbook-golang",
    "go:github.com/thomaspoignant/go-feature-flag",
    "go:go.flipt.io/*",
    "cargo:launchdarkly-server-sdk",
    "cargo:unleash-api-client",
    "cargo:flagsmith",
    "cargo:open-feature",
    "cargo:configcat",
    "maven:com.launchdarkly:*",
    "maven:io.getunleash:*",
    "maven:com.flagsmith:*",
    "maven:dev.openfeature:*",
    "maven:com.configcat:*",
    "maven:io.split.client:*",
    "maven:togglz-*",
    "maven:ff4j-core",
    "gem:launchdarkly-server-sdk",
    "gem:unleash",
    "gem:flagsmith",
    "gem:flipper*",
    "gem:openfeature-sdk",
    "gem:configcat",
    "gem:splitclient-rb",
    "nuget:LaunchDarkly.*",
    "nuget:Unleash.Client",
    "nuget:Flagsmith",
    "nuget:OpenFeature*",
    "nuget:ConfigCat.Client",
    "nuget:Splitio*",
    "nuget:Microsoft.FeatureManagement*",
];

fn feature_flags(ctx: &Context) -> Outcome {
    let mut found = signal_hits(ctx, "rel-feature-flag-code", "feature flag evaluated");
    found.extend(deps(ctx, FLAG_DEPS));
    found.extend(
        ctx.index
            .text_files()
            .filter(|f| {
                !vendored_file(f)
                    && matches!(f.name(), "flagd.json" | "flags.flagd.json" | "flipt.yml")
            })
            .map(|f| Evidence::file(f.path.clone()).note("flag definitions")),
    );
    Outcome::present(
        found,
        "a feature flag system is in use",
        "no feature flags (LaunchDarkly, Unleash, Flagsmith, GrowthBook, OpenFeature, \
         ConfigCat, Flipper…): every change is released the moment it is deployed",
        project_anchor(ctx),
    )
}

const RETRY_DEPS: &[&str] = &[
    "npm:p-retry",
    "npm:async-retry",
    "npm:retry",
    "npm:axios-retry",
    "npm:retry-axios",
    "npm:promise-retry",
    "npm:exponential-backoff",
    "npm:fetch-retry",
    "npm:cockatiel",
    "npm:@lifeomic/attempt",
    "pypi:tenacity",
    "pypi:backoff",
    "pypi:retrying",
    "pypi:retry",
    "pypi:retry2",
    "pypi:stamina",
    "pypi:aiohttp-retry",
    "go:github.com/cenkalti/backoff*",
    "go:github.com/avast/retry-go*",
    "go:github.com/hashicorp/go-retryablehttp",
    "go:github.com/sethvargo/go-retry",
    "go:github.com/failsafe-go/failsafe-go",
    "cargo:backoff",
    "cargo:tokio-retry*",
    "cargo:backon",
    "cargo:reqwest-retry",
    "cargo:again",
    "maven:resilience4j-retry",
    "maven:resilience4j-spring-boot*",
    "maven:spring-retry",
    "maven:dev.failsafe:*",
    "maven:net.jodah:failsafe",
    "maven:guava-retrying",
    "gem:retriable",
    "gem:retryable",
    "gem:faraday-retry",
    "nuget:Polly*",
    "nuget:Microsoft.Extensions.Http.Resilience",
    "nuget:Microsoft.Extensions.Resilience",
    "nuget:Microsoft.Extensions.Http.Polly",
];

fn retries(ctx: &Context) -> Outcome {
    let mut found = signal_hits(ctx, "rel-retry-code", "retry with backoff");
    found.extend(signal_hits(
        ctx,
        "rel-retry-limit",
        "hand-rolled retry with a limit",
    ));
    found.extend(deps(ctx, RETRY_DEPS));
    Outcome::present(
        found,
        "calls to dependencies are retried",
        "no retry logic (tenacity, backoff, p-retry, axios-retry, retry-go, resilience4j, \
         Polly…): every transient network error becomes a user-facing failure",
        project_anchor(ctx),
    )
}

const BREAKER_DEPS: &[&str] = &[
    "npm:opossum",
    "npm:brakes",
    "npm:mollitia",
    "pypi:pybreaker",
    "pypi:circuitbreaker",
    "pypi:aiobreaker",
    "pypi:purgatory-circuitbreaker",
    "go:github.com/sony/gobreaker*",
    "go:github.com/afex/hystrix-go",
    "go:github.com/rubyist/circuitbreaker",
    "go:github.com/mercari/go-circuitbreaker",
    "cargo:failsafe",
    "cargo:recloser",
    "maven:resilience4j-circuitbreaker",
    "maven:resilience4j-spring-boot*",
    "maven:spring-cloud-starter-circuitbreaker-*",
    "maven:hystrix-core",
    "maven:spring-cloud-starter-netflix-hystrix",
    "gem:circuitbox",
    "gem:stoplight",
    "gem:semian",
];

fn circuit_breakers(ctx: &Context) -> Outcome {
    // Service-mesh circuit breaking (Istio outlier detection, Envoy circuit_breakers).
    static MESH: LazyLock<Gated> =
        lazy_gated!(r"^\s*(?:outlierDetection|circuit_breakers|circuitBreakers):");
    let mut found = signal_hits(ctx, "rel-circuit-breaker-code", "circuit breaker");
    found.extend(deps(ctx, BREAKER_DEPS));
    found.extend(
        grep(ctx, is_yaml, &MESH)
            .into_iter()
            .map(|e| e.note("mesh/proxy circuit breaking")),
    );
    Outcome::present(
        found,
        "circuit breakers protect calls to dependencies",
        "no circuit breaker (opossum, pybreaker, gobreaker, resilience4j, Polly, mesh outlier \
         detection…): a failing dependency is hammered with retries and its latency spreads",
        project_anchor(ctx),
    )
}

fn config_validation(ctx: &Context) -> Outcome {
    let reads: Vec<Evidence> = super::dx::env_reads(ctx)
        .into_iter()
        .filter(|e| e.path != ".gitignore")
        .collect();
    if reads.is_empty() {
        return Outcome::na("the code reads no environment configuration");
    }
    Outcome::present(
        signal_hits(
            ctx,
            "rel-config-validation",
            "configuration schema validated",
        ),
        "configuration is parsed into a validated schema at startup",
        "environment configuration is read ad hoc: a missing or malformed variable surfaces at \
         the first request that needs it, not at startup",
        // Anchor at application code rather than at a tool's config file.
        reads
            .iter()
            .find(|e| !e.path.contains(".config."))
            .or(reads.first())
            .cloned(),
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "rel-incident-response",
        title: "Incident response process",
        category: Category::Reliability,
        weight: 5,
        applies: Applies::SERVICE,
        rationale: "A written process (severity levels, who is paged, how to escalate, when to \
            write a post-mortem) shortens outages and keeps the response calm.",
        passes_when: "A document named or headed incident / on-call / post-mortem (INCIDENT*.md, \
            docs/incident*, docs/on-call.md, a README section) mentions severity levels, \
            escalation, on-call, paging or post-mortems.",
        remediation: "Write docs/incident-response.md: severity levels with examples, how to \
            page and escalate, communication, and the post-mortem template.",
        snippet: Some("# docs/incident-response.md\n## Severity levels\n- SEV1: service down or data loss, page on-call now\n- SEV2: degraded for many users, respond within 30 min\n## Escalation\nOn-call -> team lead -> engineering manager (after 30 min)\n## After the incident\nBlameless post-mortem within 5 working days"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(incident_response),
    },
    Rule {
        id: "rel-runbooks",
        title: "Runbooks",
        category: Category::Reliability,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "Runbooks turn the knowledge of whoever built the service into steps anyone \
            on call can follow at 3 a.m.",
        passes_when: "Runbook documents exist (runbooks/ or playbooks/ folders, RUNBOOK*.md, \
            docs/runbooks, docs/operations) or alert rules link to runbooks (runbook_url).",
        remediation: "Write one runbook per alert and per routine operation (restart, scale, \
            rotate secrets, restore) and link them from the alerts.",
        snippet: Some("# docs/runbooks/high-error-rate.md\n## Symptoms\n## Diagnosis\n1. Check the error dashboard and recent deploys\n## Mitigation\n1. Roll back: `./scripts/rollback.sh <version>`\n## Escalation"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(runbooks),
    },
    Rule {
        id: "rel-disaster-recovery",
        title: "Disaster recovery and backups",
        category: Category::Reliability,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "Backups that were never restored are hopes; a recovery plan with RPO/RTO \
            targets and a tested restore procedure is what brings data back.",
        passes_when: "A disaster-recovery or backup document exists (DISASTER_RECOVERY*, \
            BACKUP*, docs/dr*, docs mentioning RPO/RTO or with a backup/restore heading), or \
            backups are automated as code (aws_backup_plan, backup retention, Velero schedules, \
            scheduled pg_dump/mysqldump jobs).",
        remediation: "Automate backups, document RPO/RTO and the restore procedure, and rehearse \
            a restore regularly.",
        snippet: Some("# docs/disaster-recovery.md\n- RPO: 1 hour (hourly WAL archiving), RTO: 4 hours\n## Restore\n1. `pg_restore -d app latest.dump`\n2. Verify with `./scripts/smoke.sh`\n## Rehearsal\nQuarterly restore drill into staging"),
        snippets: &[],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(disaster_recovery),
    },
    Rule {
        id: "rel-slo",
        title: "Service level objectives",
        category: Category::Reliability,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "SLOs define how reliable the service must be; they drive alerting on what \
            users feel and decide when reliability work beats features.",
        passes_when: "SLO specs exist (OpenSLO, sloth PrometheusServiceLevel, Pyrra \
            ServiceLevelObjective, Terraform SLO resources), or a document names SLOs/SLIs \
            with a target such as 99.9%.",
        remediation: "Define availability and latency SLOs for the main user journeys and alert \
            on their error-budget burn rate.",
        snippet: Some("# slos/api.yaml (sloth)\nversion: \"prometheus/v1\"\nservice: api\nslos:\n  - name: requests-availability\n    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(http_requests_total{code=~\"5..\"}[{{.window}}]))\n        total_query: sum(rate(http_requests_total[{{.window}}]))"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(slos),
    },
    Rule {
        id: "rel-graceful-shutdown",
        title: "Graceful shutdown",
        category: Category::Reliability,
        weight: 6,
        applies: Applies::SERVICE,
        rationale: "Orchestrators stop instances with SIGTERM on every deploy and scale-down; a \
            service that exits at once drops in-flight requests and half-done work.",
        passes_when: "Service code handles shutdown: SIGTERM/SIGINT handlers, \
            process.on('SIGTERM'), signal.Notify + server.Shutdown, tokio::signal / \
            with_graceful_shutdown, shutdown hooks (@PreDestroy, addShutdownHook, \
            IHostApplicationLifetime; the .NET generic or web host, which drains on SIGTERM by \
            default), FastAPI lifespan/on_event(\"shutdown\"), a shutdown \
            manager; or configuration: server.shutdown=graceful, gunicorn/uvicorn graceful \
            timeouts, Kubernetes preStop hooks.",
        remediation: "On SIGTERM stop accepting work, finish in-flight requests within a \
            timeout, close pools, then exit.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// server.ts\nprocess.on('SIGTERM', () => {\n  server.close(async () => {\n    await db.end()\n    process.exit(0)\n  })\n  setTimeout(() => process.exit(1), 30_000).unref()\n})"),
            (StackId::Python, "# app/main.py\nfrom contextlib import asynccontextmanager\nfrom fastapi import FastAPI\n\n@asynccontextmanager\nasync def lifespan(app: FastAPI):\n    yield  # serving; on SIGTERM uvicorn stops accepting and drains requests\n    await engine.dispose()  # then close pools and flush buffers\n\napp = FastAPI(lifespan=lifespan)"),
            (StackId::Go, "// cmd/api/main.go\nctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)\ndefer stop()\nsrv := &http.Server{Addr: \":8080\", Handler: mux}\ngo func() {\n\tif err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {\n\t\tlog.Fatal(err)\n\t}\n}()\n<-ctx.Done()\nshutdownCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)\ndefer cancel()\nif err := srv.Shutdown(shutdownCtx); err != nil {\n\tlog.Printf(\"shutdown: %v\", err)\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(graceful_shutdown),
    },
    Rule {
        id: "rel-feature-flags",
        title: "Feature flags",
        category: Category::Reliability,
        weight: 3,
        applies: Applies::SERVICE,
        rationale: "Flags separate deploy from release: risky changes ship dark, roll out \
            gradually and are switched off without a redeploy.",
        passes_when: "A feature-flag SDK is declared or used (LaunchDarkly, Unleash, Flagsmith, \
            GrowthBook, OpenFeature, ConfigCat, Split, Statsig, Flipper, django-waffle, \
            Microsoft.FeatureManagement, Togglz, flagd…).",
        remediation: "Adopt a flag service (or OpenFeature with a provider) and put risky \
            changes behind flags with an owner and an expiry.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/flags.ts\nimport { OpenFeature } from '@openfeature/server-sdk'\nconst flags = OpenFeature.getClient()\nexport const newSearch = (userId: string) =>\n  flags.getBooleanValue('new-search', false, { targetingKey: userId })"),
            (StackId::Python, "# app/flags.py (pip install openfeature-sdk, plus your flag service's provider)\nfrom openfeature import api\nfrom openfeature.evaluation_context import EvaluationContext\n\nflags = api.get_client()\n\n\ndef new_search(user_id: str) -> bool:\n    return flags.get_boolean_value(\"new-search\", False, EvaluationContext(targeting_key=user_id))"),
            (StackId::Go, "// internal/flags/flags.go (go get github.com/open-feature/go-sdk, plus a provider)\npackage flags\n\nimport (\n\t\"context\"\n\n\t\"github.com/open-feature/go-sdk/openfeature\"\n)\n\nvar client = openfeature.NewClient(\"api\")\n\nfunc NewSearch(ctx context.Context, userID string) bool {\n\ton, _ := client.BooleanValue(ctx, \"new-search\", false, openfeature.NewEvaluationContext(userID, nil))\n\treturn on\n}"),
            (StackId::Rust, "// src/flags.rs (cargo add open-feature, plus your flag service's provider)\nuse open_feature::{EvaluationContext, OpenFeature};\n\npub async fn new_search(user_id: &str) -> bool {\n    let client = OpenFeature::singleton().await.create_client();\n    let context = EvaluationContext::default().with_targeting_key(user_id);\n    client\n        .get_bool_value(\"new-search\", Some(&context), None)\n        .await\n        .unwrap_or(false)\n}"),
            (StackId::Java, "// src/main/java/com/example/Flags.java (dev.openfeature:sdk, plus a provider)\npackage com.example;\n\nimport dev.openfeature.sdk.Client;\nimport dev.openfeature.sdk.ImmutableContext;\nimport dev.openfeature.sdk.OpenFeatureAPI;\n\npublic final class Flags {\n    private static final Client CLIENT = OpenFeatureAPI.getInstance().getClient();\n\n    public static boolean newSearch(String userId) {\n        return CLIENT.getBooleanValue(\"new-search\", false, new ImmutableContext(userId));\n    }\n}"),
            (StackId::Ruby, "# app/models/search.rb (gem \"flipper\" and an adapter, e.g. flipper-active_record)\nclass Search\n  def self.engine_for(user)\n    Flipper.enabled?(:new_search, user) ? :new : :legacy\n  end\nend"),
            (StackId::Dotnet, "// Services/SearchService.cs (Microsoft.FeatureManagement; builder.Services.AddFeatureManagement())\nusing Microsoft.FeatureManagement;\n\npublic class SearchService(IFeatureManager features)\n{\n    public Task<bool> UseNewSearch() => features.IsEnabledAsync(\"NewSearch\");\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(feature_flags),
    },
    Rule {
        id: "rel-retries",
        title: "Retries with backoff",
        category: Category::Reliability,
        weight: 5,
        applies: Applies::SERVICE,
        rationale: "Networks and dependencies fail transiently; bounded retries with backoff \
            absorb those blips instead of surfacing them to users.",
        passes_when: "A retry library is declared or used (tenacity, backoff, stamina, p-retry, \
            async-retry, axios-retry, retry-go, cenkalti/backoff, go-retryablehttp, backon, \
            resilience4j-retry, spring-retry, Failsafe, Polly, retriable…), urllib3 Retry is \
            configured, or code bounds a hand-rolled retry loop (MAX_RETRIES, maxAttempts).",
        remediation: "Wrap calls to networked dependencies in bounded retries with exponential \
            backoff and jitter, only for idempotent operations and transient errors.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/clients/profile.ts\nimport pRetry, { AbortError } from 'p-retry'\n\nexport const fetchProfile = (userId: string) =>\n  pRetry(\n    async () => {\n      const res = await fetch(`${process.env.PROFILE_API_URL}/users/${userId}`)\n      if (res.status === 404) throw new AbortError('no such user') // not retried\n      if (!res.ok) throw new Error(`profile API answered ${res.status}`)\n      return res.json()\n    },\n    { retries: 3, minTimeout: 200, randomize: true },\n  )"),
            (StackId::Python, "# app/clients.py\nfrom tenacity import retry, stop_after_attempt, wait_exponential_jitter\n\n@retry(stop=stop_after_attempt(3), wait=wait_exponential_jitter(max=10))\nasync def fetch_profile(user_id: str) -> dict: ..."),
            (StackId::Go, "// internal/clients/profile.go\nimport \"github.com/cenkalti/backoff/v4\"\n\nfunc (c *Client) FetchProfile(ctx context.Context, id string) (*Profile, error) {\n\tvar p *Profile\n\top := func() (err error) {\n\t\tp, err = c.getProfile(ctx, id) // return backoff.Permanent(err) to stop early\n\t\treturn err\n\t}\n\tpolicy := backoff.WithContext(backoff.WithMaxRetries(backoff.NewExponentialBackOff(), 3), ctx)\n\tif err := backoff.Retry(op, policy); err != nil {\n\t\treturn nil, err\n\t}\n\treturn p, nil\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(retries),
    },
    Rule {
        id: "rel-circuit-breakers",
        title: "Circuit breakers",
        category: Category::Reliability,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "When a dependency is down, a circuit breaker fails fast instead of piling up \
            timeouts and retries, so one failure does not take the whole service with it.",
        passes_when: "A circuit breaker is declared or used (opossum, pybreaker, aiobreaker, \
            gobreaker, hystrix-go, resilience4j-circuitbreaker, Spring Cloud CircuitBreaker, \
            Polly circuit breaker, circuitbox, stoplight, semian, a CircuitBreaker class), or \
            mesh configuration sets outlier detection / circuit_breakers.",
        remediation: "Put a circuit breaker around each remote dependency with a fallback, and \
            export its state as a metric.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/clients/payments.ts\nimport CircuitBreaker from 'opossum'\n\nconst breaker = new CircuitBreaker(chargeCard, {\n  timeout: 3000, // a slower call counts as a failure\n  errorThresholdPercentage: 50, // open when half the calls fail\n  resetTimeout: 30_000, // then let a trial call through after 30 s\n})\nbreaker.fallback(() => ({ status: 'pending' }))\n\nexport const charge = (payload: ChargeRequest) => breaker.fire(payload)"),
            (StackId::Python, "# app/clients.py\nimport pybreaker\n\nbreaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)\n\n@breaker\ndef call_payment_api(payload: dict) -> dict: ..."),
            (StackId::Go, "// internal/clients/payments.go\nimport \"github.com/sony/gobreaker\"\n\nvar breaker = gobreaker.NewCircuitBreaker(gobreaker.Settings{\n\tName:        \"payments\",\n\tTimeout:     30 * time.Second, // open this long before a trial call\n\tReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 5 },\n})\n\nfunc (c *Client) Charge(ctx context.Context, req ChargeRequest) (*Charge, error) {\n\tres, err := breaker.Execute(func() (interface{}, error) { return c.charge(ctx, req) })\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn res.(*Charge), nil\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(circuit_breakers),
    },
    Rule {
        id: "rel-config-validation",
        title: "Configuration validated at startup",
        category: Category::Reliability,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "A service that validates its configuration when it starts fails the deploy \
            (and rolls back) instead of failing requests hours later on a typo in a variable.",
        passes_when: "Environment configuration goes through a schema: pydantic BaseSettings, \
            environs, t3-env/envalid/zod parsing of process.env, NestJS validationSchema, \
            envconfig/caarlos0-env/cleanenv (Go), envy (Rust), Spring @ConfigurationProperties, \
            .NET ValidateOnStart/ValidateDataAnnotations, Dotenv.require_keys.",
        remediation: "Parse all settings once at startup into a typed, validated object and \
            exit with a clear error when one is missing or invalid.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/config.ts\nimport { z } from 'zod'\n\nconst Env = z.object({\n  DATABASE_URL: z.string().url(),\n  PORT: z.coerce.number().int().default(3000),\n  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),\n})\n\nexport const config = Env.parse(process.env) // throws at startup when invalid"),
            (StackId::Python, "# app/config.py\nfrom pydantic import Field\nfrom pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    database_url: str\n    request_timeout: int = Field(default=30, ge=1, le=600)\n\nsettings = Settings()  # raises at startup when invalid"),
            (StackId::Go, "// internal/config/config.go\npackage config\n\nimport (\n\t\"time\"\n\n\t\"github.com/kelseyhightower/envconfig\"\n)\n\ntype Config struct {\n\tDatabaseURL    string        `envconfig:\"DATABASE_URL\" required:\"true\"`\n\tPort           int           `envconfig:\"PORT\" default:\"8080\"`\n\tRequestTimeout time.Duration `envconfig:\"REQUEST_TIMEOUT\" default:\"30s\"`\n}\n\n// Load fails at startup when a variable is missing or malformed.\nfunc Load() (cfg Config, err error) {\n\terr = envconfig.Process(\"\", &cfg)\n\treturn cfg, err\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(config_validation),
    },
];

pub const SIGNALS: &[Signal] = &[
    Signal {
        id: "rel-graceful-shutdown",
        files: ALL_SOURCES,
        pattern: concat!(
            // Python: signal handlers, ASGI lifespan/shutdown hooks, shutdown managers.
            r"\bsignal\.signal\(\s*(?:signal\.)?SIG(?:TERM|INT)\b|\badd_signal_handler\(\s*(?:signal\.)?SIG(?:TERM|INT)\b",
            r"|@\w+\.on_event\(\s*['\x22]shutdown['\x22]|\bon_shutdown\b|^[ \t]*async\s+def\s+lifespan\s*\(",
            r"|^[ \t]*class\s+\w*Shutdown\w*|^[ \t]*(?:async\s+)?def\s+\w*(?:graceful|shutdown)\w*\s*\(|^[ \t]*graceful_timeout\s*=",
            // Node
            r"|\bprocess\.(?:on|once|addListener)\(\s*['\x22]SIG(?:TERM|INT)['\x22]|\benableShutdownHooks\(",
            r"|\bcreateTerminus\(|\bcreateHttpTerminator\(|\bcreateLightship\(",
            // Go
            r"|\bsignal\.Notify(?:Context)?\([^\n]*\b(?:SIGTERM|Interrupt)\b|\.Shutdown\(\s*(?:ctx|shutdownCtx|context\.)|\.GracefulStop\(\)",
            // Rust
            r"|\bwith_graceful_shutdown\(|\bSignalKind::terminate\(\)|\bsignal::ctrl_c\(\)|\.shutdown_timeout\(",
            // JVM, .NET, Ruby
            r"|\baddShutdownHook\(|^[ \t]*@PreDestroy\b|\bregisterShutdownHook\(|\bimplements\s+[\w, ]*SmartLifecycle",
            r"|\bApplicationStopping\b|\bIHostApplicationLifetime\b",
            // The .NET hosts stop Kestrel on SIGTERM and drain it by default.
            r"|\b(?:WebApplication\.Create(?:Slim)?Builder|Host\.Create(?:Default|Application)Builder|WebHost\.CreateDefaultBuilder)\s*\(",
            r"|\b(?:Signal\.)?trap\(\s*['\x22](?:SIG)?TERM['\x22]|\bon_worker_shutdown\b",
        ),
        skip_tests: true,
    },
    Signal {
        id: "rel-feature-flag-code",
        files: ALL_SOURCES,
        pattern: concat!(
            r"\bOpenFeature\.(?:getClient|setProvider|setProviderAndWait|GetClient|SetProvider\w*)\s*\(|\bopenfeature\.(?:NewClient|SetProvider)\w*\(",
            // Python's and Java's OpenFeature SDKs.
            r"|^[ \t]*from\s+openfeature\s+import\b|\bOpenFeatureAPI\.getInstance\(\)",
            // Rust's (open-feature crate).
            r"|\bOpenFeature::singleton(?:_mut)?\(\)",
            r"|\bLDClient\b|\bldclient\.(?:get|set_config)\(",
            r"|\bnew\s+Unleash(?:Client)?\s*\(|\bUnleashClient\(|\bunleash\.(?:Initialize|IsEnabled)\(",
            r"|\bnew\s+GrowthBook\s*\(|\bGrowthBook\(|\bFlagsmith\(|\bflagsmith\.init\(",
            r"|\bFlipper\.enabled\?|\bFlipper\[|\bflag_is_active\(|\bswitch_is_active\(",
            r"|\bIFeatureManager\b|\[FeatureGate\(|\bConfigCatClient\b|\bconfigcat\.get_client\(",
        ),
        skip_tests: true,
    },
    Signal {
        id: "rel-retry-code",
        files: ALL_SOURCES,
        pattern: concat!(
            r"^[ \t]*(?:from|import)\s+(?:tenacity|backoff|retrying|stamina)\b",
            r"|^[ \t]*from\s+urllib3(?:\.util)?(?:\.retry)?\s+import\s+[^\n]*\bRetry\b",
            r"|^[ \t]*@(?:retry|backoff\.on_exception|backoff\.on_predicate|stamina\.retry)\b",
            r"|\bfrom\s+['\x22](?:p-retry|async-retry|axios-retry|retry-axios|promise-retry|exponential-backoff|fetch-retry|cockatiel)['\x22]",
            r"|\brequire\(\s*['\x22](?:p-retry|async-retry|axios-retry|promise-retry|exponential-backoff|fetch-retry)['\x22]\s*\)",
            r#"|"github\.com/(?:cenkalti/backoff|avast/retry-go|hashicorp/go-retryablehttp|sethvargo/go-retry|failsafe-go/failsafe-go)"#,
            r"|\buse\s+(?:backoff|tokio_retry|backon|reqwest_retry)::",
            r"|@Retryable\b|\bRetryTemplate\b|\bRetryRegistry\b|\bRetry\.of(?:Defaults)?\(|@Retry\(",
            r"|\bWaitAndRetry(?:Async|Forever)?\s*\(|\.AddRetry\s*\(|\.AddStandardResilienceHandler\s*\(",
            r"|\bRetriable\.(?:retriable|with_context)\b|\bretriable\s*(?:\(|do\b)|\brequest\s*\(?\s*:retry\b|\bFaraday::Retry::Middleware\b",
            // Sidekiq jobs retried (`retry: 16`, not `retry: false`/`0`) or with their own
            // backoff, and ActiveJob's `retry_on SomeError, wait: …`.
            r"|^[ \t]*sidekiq_options\b[^\n]*\bretry:\s*(?:[1-9]|true\b)|^[ \t]*sidekiq_retry_in\b|^[ \t]*retry_on\s+[A-Z]",
        ),
        skip_tests: true,
    },
    // A bounded hand-rolled retry loop: a constant or option naming the retry limit.
    Signal {
        id: "rel-retry-limit",
        files: ALL_SOURCES,
        pattern: r"\b(?:MAX_RETRIES|MAX_ATTEMPTS|maxRetries|maxAttempts|max_retries|max_attempts|MaxRetries|MaxAttempts|RETRY_LIMIT|retryLimit)\s*(?::\s*\w+\s*)?[=:]\s*\d",
        skip_tests: true,
    },
    Signal {
        id: "rel-circuit-breaker-code",
        files: ALL_SOURCES,
        pattern: concat!(
            // Identifiers (CircuitBreaker, circuit_breaker, circuitbreaker.New), not prose.
            r"\b(?:CircuitBreaker|circuit_breaker|circuitbreaker|circuitBreaker)|\bgobreaker\.|\bhystrix\.|\bpybreaker\b|\baiobreaker\b",
            r"|\bConsecutiveBreaker\b|\bSamplingBreaker\b|\bStoplight\(|\bCircuitbox\b|\bSemian\b",
            r"|\bfrom\s+['\x22]opossum['\x22]|\brequire\(\s*['\x22]opossum['\x22]\s*\)",
        ),
        skip_tests: true,
    },
    Signal {
        id: "rel-config-validation",
        files: ALL_SOURCES,
        pattern: r#"class\s+\w+\(\s*(?:pydantic_settings\.)?BaseSettings\s*\)|from environs import|\bcreateEnv\(|\bcleanEnv\(|\.(?:safeParse|parse)\(\s*process\.env\b|\bvalidationSchema\s*:|\benvSchema\(|envconfig\.Process\(|\benv\.Parse\(|cleanenv\.Read(?:Env|Config)\(|envy::(?:from_env|prefixed)|@ConfigurationProperties\b|\.ValidateOnStart\(\)|\.ValidateDataAnnotations\(\)|Dotenv\.require_keys"#,
        skip_tests: true,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    const SVC: (&str, &str) = ("Procfile", "web: ./serve\n");

    #[test]
    fn every_check_runs() {
        let files = [
            SVC,
            ("a.tf", "x\n"),
            ("k.yaml", "velero.io\nCronJob\n"),
            ("backup.sh", "x\n"),
            ("docs/x.md", "99%\n"),
        ];
        for r in RULES {
            run(r, &files);
        }
    }

    #[test]
    fn incident_response_needs_process_words() {
        let r = rule(RULES, "rel-incident-response");
        let o = assert_pass(
            r,
            &[
                SVC,
                (
                    "docs/incident-response.md",
                    "# Incidents\n\n## Severity levels\nSEV1: down\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        // A README section counts; a code of conduct that mentions incidents does not.
        assert_pass(
            r,
            &[
                SVC,
                (
                    "README.md",
                    "# App\n## On-call\nPage via PagerDuty, escalate after 30 min\n",
                ),
            ],
        );
        assert_fail(
            r,
            &[
                SVC,
                (
                    "CODE_OF_CONDUCT.md",
                    "## Incident reporting\nseverity of the incident and escalation\n",
                ),
            ],
        );
        assert_fail(r, &[SVC, ("docs/incident-ideas.md", "some thoughts\n")]);
        assert_na(
            r,
            &[
                ("pyproject.toml", "[project]\n"),
                ("INCIDENT.md", "severity\n"),
            ],
        );
    }

    #[test]
    fn runbooks_folder_file_or_alert_links() {
        let r = rule(RULES, "rel-runbooks");
        assert_pass(r, &[SVC, ("docs/runbooks/db-failover.md", "# Failover\n")]);
        assert_pass(r, &[SVC, ("RUNBOOK.md", "x")]);
        let o = assert_pass(
            r,
            &[
                SVC,
                ("mon/alerts.yml", "annotations:\n  runbook_url: https://x\n"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        // Ansible playbooks are YAML automation, not runbook documents.
        assert_fail(r, &[SVC, ("ansible/playbooks/site.yml", "- hosts: all\n")]);
        assert_fail(
            r,
            &[
                SVC,
                (".docs/deployment-log.md", "## Rollback\n1. git checkout\n"),
            ],
        );
    }

    #[test]
    fn disaster_recovery_docs_or_backup_automation() {
        let r = rule(RULES, "rel-disaster-recovery");
        let o = assert_pass(
            r,
            &[SVC, ("docs/operations.md", "# Ops\nRPO: 1h, RTO: 4h\n")],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        assert_pass(r, &[SVC, ("DISASTER_RECOVERY.md", "steps\n")]);
        assert_pass(
            r,
            &[
                SVC,
                (
                    "infra/db.tf",
                    "resource \"aws_db_instance\" \"x\" {\n  backup_retention_period = 7\n}\n",
                ),
            ],
        );
        assert_pass(
            r,
            &[
                SVC,
                (
                    "k8s/backup.yaml",
                    "kind: CronJob\nspec:\n  containers:\n    - command: [\"pg_dump\", \"app\"]\n",
                ),
            ],
        );
        assert_pass(
            r,
            &[
                SVC,
                ("README.md", "# App\n## Restoring a backup\npg_restore …\n"),
            ],
        );
        assert_fail(
            r,
            &[
                SVC,
                ("README.md", "# App\n## Restore packages\ndotnet restore\n"),
            ],
        );
        // Rollback notes are not a recovery plan; "rpo" inside a word is not RPO.
        assert_fail(
            r,
            &[
                SVC,
                (".docs/deployment-log.md", "## Rollback\nrepository\n"),
            ],
        );
    }

    #[test]
    fn slos_from_specs_or_documents_with_targets() {
        let r = rule(RULES, "rel-slo");
        assert_pass(
            r,
            &[
                SVC,
                (
                    "slos/api.yaml",
                    "version: \"prometheus/v1\"\nservice: api\nslos: []\n",
                ),
            ],
        );
        let o = assert_pass(
            r,
            &[
                SVC,
                (
                    "docs/reliability.md",
                    "# Reliability\n## SLOs\nAvailability 99.9% monthly\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        assert_fail(
            r,
            &[SVC, ("docs/ideas.md", "we should define SLOs some day\n")],
        );
    }

    #[test]
    fn graceful_shutdown_in_code_or_config() {
        let r = rule(RULES, "rel-graceful-shutdown");
        let o = assert_pass(
            r,
            &[
                SVC,
                ("pyproject.toml", "[project]\n"),
                ("apps/api/services/shutdown.py", "\"\"\"Graceful shutdown.\"\"\"\nimport asyncio\n\nclass ShutdownManager:\n    pass\n"),
            ],
        );
        assert_eq!(
            o.evidence[0],
            Evidence::at("apps/api/services/shutdown.py", 4).note("shutdown handling")
        );
        assert_pass(
            r,
            &[
                SVC,
                ("package.json", "{}"),
                (
                    "src/server.ts",
                    "process.on('SIGTERM', () => server.close())\n",
                ),
            ],
        );
        assert_pass(
            r,
            &[
                SVC,
                ("go.mod", "module x\n"),
                (
                    "srv/run.go",
                    "signal.Notify(ch, syscall.SIGTERM)\n_ = srv.Shutdown(ctx)\n",
                ),
            ],
        );
        assert_pass(
            r,
            &[
                SVC,
                ("pom.xml", "<project/>"),
                (
                    "src/main/resources/application.properties",
                    "server.shutdown=graceful\n",
                ),
            ],
        );
        // Sending SIGTERM to a child is not handling it.
        assert_fail(
            r,
            &[
                SVC,
                ("package.json", "{}"),
                ("src/run.ts", "child.kill('SIGTERM')\n"),
            ],
        );
        // ASP.NET Core's hosts drain Kestrel on SIGTERM by default (eShopOnWeb).
        for program in [
            "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n",
            "var host = WebHost.CreateDefaultBuilder(args)\n    .UseStartup<Startup>()\n    .Build();\nhost.Run();\n",
        ] {
            let o = assert_pass(
                r,
                &[SVC, ("Web.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"/>\n"), ("src/Program.cs", program)],
            );
            assert_eq!(o.evidence[0].path, "src/Program.cs");
        }
    }

    #[test]
    fn feature_flags_sdk_or_code() {
        let r = rule(RULES, "rel-feature-flags");
        assert_pass(
            r,
            &[
                SVC,
                (
                    "package.json",
                    "{\"dependencies\": {\"@openfeature/server-sdk\": \"1\"}}",
                ),
            ],
        );
        assert_pass(r, &[SVC, ("Gemfile", "gem \"flipper-active_record\"\n")]);
        assert_fail(
            r,
            &[
                SVC,
                ("package.json", "{\"dependencies\": {\"next-pwa\": \"1\"}}"),
            ],
        );
        // The OpenFeature SDKs of Python, Rust and Java, found in code without the dependency
        // line.
        let py = ("pyproject.toml", "[project]\nname = \"x\"\n");
        let o = assert_pass(
            r,
            &[
                SVC,
                py,
                ("app/flags.py", "import os\nfrom openfeature import api\n"),
            ],
        );
        assert!(cites(&o, "app/flags.py", 2), "{o:?}");
        assert_fail(
            r,
            &[
                SVC,
                py,
                ("app/flags.py", "# we may adopt openfeature later\n"),
            ],
        );
        let rust =
            "async fn on() -> bool {\n    let api = OpenFeature::singleton().await;\n    true\n}\n";
        let o = assert_pass(
            r,
            &[
                SVC,
                ("Cargo.toml", "[package]\nname = \"x\"\n"),
                ("src/flags.rs", rust),
            ],
        );
        assert!(cites(&o, "src/flags.rs", 2), "{o:?}");
        let java = "class Flags { Client c = OpenFeatureAPI.getInstance().getClient(); }\n";
        assert_pass(
            r,
            &[
                SVC,
                ("pom.xml", "<project/>\n"),
                ("src/main/java/Flags.java", java),
            ],
        );
    }

    #[test]
    fn retries_and_circuit_breakers_are_separate() {
        let retry = rule(RULES, "rel-retries");
        let breaker = rule(RULES, "rel-circuit-breakers");
        let files = [
            SVC,
            (
                "pyproject.toml",
                "[project]\ndependencies = [\"tenacity>=9\"]\n",
            ),
            (
                "apps/api/services/agent.py",
                "\"\"\"Agent.\"\"\"\nfrom tenacity import AsyncRetrying, stop_after_attempt\n",
            ),
        ];
        let o = assert_pass(retry, &files);
        assert!(o
            .evidence
            .contains(&Evidence::at("apps/api/services/agent.py", 2).note("retry with backoff")));
        assert_fail(breaker, &files);
        assert_pass(breaker, &[SVC, ("requirements.txt", "pybreaker==1.2\n")]);
        assert_fail(
            breaker,
            &[
                SVC,
                ("package.json", "{}"),
                ("src/c.ts", "// TODO: a circuit breaker here\n"),
            ],
        );
        assert_pass(
            breaker,
            &[
                SVC,
                ("package.json", "{}"),
                ("src/c.ts", "import CircuitBreaker from 'opossum'\n"),
            ],
        );
        assert_pass(breaker, &[SVC, ("mesh/dr.yaml", "kind: DestinationRule\nspec:\n  trafficPolicy:\n    outlierDetection:\n      consecutive5xxErrors: 5\n")]);
        // A hand-rolled bounded loop is retry logic too.
        let o = assert_pass(
            retry,
            &[
                SVC,
                ("package.json", "{}"),
                ("src/embed.ts", "const MAX_RETRIES = 3\n"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(1));
        assert_fail(
            retry,
            &[
                SVC,
                ("package.json", "{}"),
                ("src/a.ts", "const retried = false\n"),
            ],
        );
    }

    #[test]
    fn ruby_job_and_http_retries() {
        let retry = rule(RULES, "rel-retries");
        let gem = ("Gemfile", "source 'https://rubygems.org'\ngem 'rails'\n");
        // mastodon app/workers/activitypub/delivery_worker.rb
        let worker = "# frozen_string_literal: true\n\nclass ActivityPub::DeliveryWorker\n  include Sidekiq::Worker\n\n  sidekiq_options queue: 'push', retry: 16, dead: false\n\n  sidekiq_retry_in do |count|\n    delay = (count**4) + 15\n  end\nend\n";
        let o = assert_pass(
            retry,
            &[
                SVC,
                gem,
                ("app/workers/activitypub/delivery_worker.rb", worker),
            ],
        );
        assert_eq!(o.evidence.len(), 1, "{o:?}");
        assert_eq!(
            o.evidence[0].path,
            "app/workers/activitypub/delivery_worker.rb"
        );
        assert_eq!(o.evidence[0].line, Some(6));
        for line in [
            "  sidekiq_retry_in do |count|\n",
            "  retry_on Net::OpenTimeout, wait: :polynomially_longer, attempts: 5\n",
            "    f.request :retry, max: 2, interval: 0.05\n",
            "  Retriable.retriable(on: Timeout::Error) do\n",
        ] {
            assert_pass(retry, &[SVC, gem, ("app/jobs/fetch_job.rb", line)]);
        }
        // Retries switched off are not retry logic.
        for line in [
            "  sidekiq_options queue: 'pull', retry: false\n",
            "  sidekiq_options retry: 0\n",
            "  # retry_on is not used here\n",
        ] {
            assert_fail(retry, &[SVC, gem, ("app/workers/scheduler.rb", line)]);
        }
    }
    #[test]
    fn config_validation_needs_env_reads_and_a_schema() {
        let r = rule(RULES, "rel-config-validation");
        let svc = ("Procfile", "web: uvicorn app.main:app\n");
        let o = assert_pass(
            r,
            &[svc, ("app/config.py", "import os\nfrom pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    url: str = os.environ.get('X', '')\n")],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("app/config.py", Some(4))
        );
        assert_fail(
            r,
            &[
                svc,
                ("app/config.py", "import os\nURL = os.environ['URL']\n"),
            ],
        );
        assert_na(r, &[svc, ("app/main.py", "print(1)\n")]);
    }
}
