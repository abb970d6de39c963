//! Observability: logging, error tracking, metrics, tracing, health endpoints, alerts.

use super::{Rule, Signal};

pub const RULES: &[Rule] = &[];

pub const SIGNALS: &[Signal] = &[Signal {
    id: crate::detect::SERVER_FRAMEWORK_SIGNAL,
    files: &[
        "**/*.{js,mjs,cjs,ts,mts}",
        "**/*.py",
        "**/*.go",
        "**/*.rs",
        "**/*.{java,kt}",
        "**/*.rb",
        "**/*.cs",
    ],
    pattern: r#"(?:require\(['"](?:express|fastify|koa|@hapi/hapi)['"]\)|from ['"](?:express|fastify|koa|@nestjs/core|hono)['"]|^\s*from (?:fastapi|flask|aiohttp|starlette|django)\b|^\s*import (?:fastapi|flask)\b|"net/http"|github\.com/(?:gin-gonic/gin|labstack/echo|gofiber/fiber|go-chi/chi)|use (?:axum|actix_web|rocket|warp|poem)\b|@SpringBootApplication|Sinatra::Base|class \w+ < ApplicationController|WebApplication\.CreateBuilder)"#,
    skip_tests: true,
}];
