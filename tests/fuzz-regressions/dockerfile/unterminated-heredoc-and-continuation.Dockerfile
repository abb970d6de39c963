# escape=`
FROM a AS a
FROM a AS b
RUN <<EOF <<EOT
x
EOF
COPY --from=b `
