# nginx from Debian's packages, laid out like the official nginx image as far as
# docker-compose.scale.yml relies on it: /etc/nginx/conf.d/*.conf is included, nothing else is
# served, logs go to the container's output, and the master runs in the foreground.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
STOPSIGNAL SIGQUIT
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
