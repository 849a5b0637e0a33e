"""A loopback stub of the AWS APIs fleetaudit's Python tools call: AWS IoT and Security Hub
(restJson1), IAM, STS and SNS (query/XML), Cognito Identity, CloudWatch Logs and Organizations
(JSON 1.1). Routes, parameters and response shapes come from botocore's own service models; every
request is validated against its operation's input shape (a request botocore's model would not
send is a stub bug, reported in `bugs` and answered 500) and every response against its output
shape before it is sent, so the real boto3 client (and the AWS CLI) parse what AWS would send.
Listens on 127.0.0.1 on a free port, in a daemon thread, and stops with the test."""

import collections
import datetime
import http.server
import json
import re
import threading
import time
import urllib.parse
import uuid
from xml.sax.saxutils import escape

import botocore.loaders
import botocore.model
import botocore.validate

SERVICES = ("iot", "iam", "sts", "cognito-identity", "logs", "sns", "securityhub", "organizations")
# The service name in a request's SigV4 credential scope: AWS IoT's model signs as "execute-api".
SIGNING_NAMES = {"execute-api": "iot", **{name: name for name in SERVICES if name != "iot"}}
THROTTLE_CODES = {"iot": ("ThrottlingException", 429), "iam": ("Throttling", 400), "sts": ("Throttling", 400),
                  "cognito-identity": ("TooManyRequestsException", 400), "logs": ("ThrottlingException", 400),
                  "sns": ("Throttled", 429), "securityhub": ("TooManyRequestsException", 429),
                  "organizations": ("TooManyRequestsException", 400)}
DENIED_CODES = {"iot": ("AccessDeniedException", 403), "iam": ("AccessDenied", 403), "sts": ("AccessDenied", 403),
                "cognito-identity": ("NotAuthorizedException", 400), "logs": ("AccessDeniedException", 400),
                "sns": ("AuthorizationError", 403), "securityhub": ("AccessDeniedException", 403),
                "organizations": ("AccessDeniedException", 400)}

_loader = botocore.loaders.Loader()
MODELS = {name: botocore.model.ServiceModel(_loader.load_service_model(name, "service-2"), name) for name in SERVICES}
PROTOCOLS = {name: model.metadata["protocol"] for name, model in MODELS.items()}  # rest-json, query or json
XML_NAMESPACES = {name: model.metadata["xmlNamespace"] for name, model in MODELS.items() if "xmlNamespace" in model.metadata}


class ApiError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _route_table(service):
    routes = []
    model = MODELS[service]
    for name in model.operation_names:
        http_info = model.operation_model(name).http
        path = http_info["requestUri"].split("?")[0]
        pattern = re.sub(r"\{(\w+)\+?\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", path)
        routes.append((http_info["method"], re.compile("^" + pattern + "$"), name))
    # Literal segments win over placeholders (/audit/configuration before /audit/{x}).
    routes.sort(key=lambda r: r[1].pattern.count("(?P<"))
    return routes


REST_ROUTES = {name: _route_table(name) for name, protocol in PROTOCOLS.items() if protocol == "rest-json"}


def to_model(value, shape):
    """A snapshot-form value (ISO or epoch times, IAM documents as JSON objects) in the types
    botocore's shape expects: datetimes, and documents as the URL-encoded JSON IAM sends."""
    if shape.type_name == "structure" and isinstance(value, dict):
        return {name: to_model(item, shape.members[name]) if name in shape.members else item
                for name, item in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [to_model(item, shape.member) for item in value]
    if shape.type_name == "map" and isinstance(value, dict):
        return {key: to_model(item, shape.value) for key, item in value.items()}
    if shape.type_name == "timestamp" and isinstance(value, (int, float, str)):
        if isinstance(value, str):
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    if shape.type_name == "string" and isinstance(value, dict):
        return urllib.parse.quote(json.dumps(value))
    return value


def _to_wire_json(value, shape):
    """Python value -> JSON-protocol wire value (timestamps as epoch seconds)."""
    if value is None:
        return None
    if shape.type_name == "structure":
        return {name: _to_wire_json(value[name], member) for name, member in shape.members.items() if name in value}
    if shape.type_name == "list":
        return [_to_wire_json(item, shape.member) for item in value]
    if shape.type_name == "map":
        return {key: _to_wire_json(item, shape.value) for key, item in value.items()}
    if shape.type_name == "timestamp":
        if isinstance(value, datetime.datetime):
            seconds = value.timestamp()
            return int(seconds) if seconds == int(seconds) else round(seconds, 3)
        return value
    return value


def _to_xml(value, shape, name):
    if shape.type_name == "structure":
        inner = "".join(_to_xml(value[member_name], member, member.serialization.get("name", member_name))
                        for member_name, member in shape.members.items() if member_name in value)
    elif shape.type_name == "list":
        inner = "".join(_to_xml(item, shape.member, "member") for item in value)
    elif shape.type_name == "map":
        inner = "".join(f"<entry>{_to_xml(k, shape.key, 'key')}{_to_xml(v, shape.value, 'value')}</entry>"
                        for k, v in value.items())
    elif shape.type_name == "timestamp":
        inner = value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") \
            if isinstance(value, datetime.datetime) else escape(str(value))
    elif shape.type_name == "boolean":
        inner = "true" if value else "false"
    else:
        inner = escape(str(value))
    return f"<{name}>{inner}</{name}>"


def validate_output(service, operation, response):
    shape = MODELS[service].operation_model(operation).output_shape
    if shape is None:
        return
    report = botocore.validate.ParamValidator().validate(response, shape)
    if report.has_errors():
        raise AssertionError(f"stub response of {service}:{operation} breaks the botocore model:\n"
                             f"{report.generate_report()}")


def validate_input(service, operation, params):
    shape = MODELS[service].operation_model(operation).input_shape
    if shape is None:
        return
    report = botocore.validate.ParamValidator().validate(params, shape)
    if report.has_errors():
        raise AssertionError(f"request to {service}:{operation} breaks the botocore model:\n"
                             f"{report.generate_report()}")


def _from_text(text, shape):
    """A scalar sent as text (a URI segment, query string, header or query-protocol field) in
    the type its shape declares."""
    if shape.type_name in ("integer", "long"):
        return int(text)
    if shape.type_name in ("float", "double"):
        return float(text)
    if shape.type_name == "boolean":
        return text == "true"
    if shape.type_name == "timestamp":
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return text


def _unflatten_query(form, shape, prefix=""):
    """The query protocol's flat `A.member.1.B=…` / `M.entry.1.key=…` fields, as nested values of
    `shape`. Fields no member names are kept (flat) so that validation reports them."""
    if shape is None:
        return dict(form)
    if shape.type_name == "structure":
        value = {}
        for member_name, member in shape.members.items():
            wire = (prefix + "." if prefix else "") + member.serialization.get("name", member_name)
            if wire in form or any(key.startswith(wire + ".") for key in form):
                value[member_name] = _unflatten_query(form, member, wire)
        if not prefix:
            known = {m.serialization.get("name", n) for n, m in shape.members.items()}
            value.update({k: v for k, v in form.items() if k.split(".")[0] not in known})
        return value
    if shape.type_name == "list":
        step = "" if shape.serialization.get("flattened") else ".member"
        items, index = [], 1
        while any(key == f"{prefix}{step}.{index}" or key.startswith(f"{prefix}{step}.{index}.") for key in form):
            items.append(_unflatten_query(form, shape.member, f"{prefix}{step}.{index}"))
            index += 1
        return items
    if shape.type_name == "map":
        step = "" if shape.serialization.get("flattened") else ".entry"
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        items, index = {}, 1
        while f"{prefix}{step}.{index}.{key_name}" in form:
            entry = f"{prefix}{step}.{index}"
            items[form[f"{entry}.{key_name}"]] = _unflatten_query(form, shape.value, f"{entry}.{value_name}")
            index += 1
        return items
    return _from_text(form[prefix], shape)


def page(items, token, size):
    """A page of `items` from offset `token`: (slice, next token or None)."""
    start = int(token or 0)
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


class Stub:
    """The account the stub serves, plus knobs: `page_size` (and `page_sizes` per operation),
    `throttle_every` (every Nth call of each operation is throttled: counted per operation, so
    which calls are throttled does not depend on how the exporter's threads interleave), `denied`
    (services that answer access denied), `fail` (operations that answer a non-retryable error),
    `delay` (seconds each call takes, one call at a time: a slow account to interrupt). `calls` records every
    (service, operation) received, throttled ones included. The server stops by itself after
    `lifetime` seconds, so a test that dies cannot leave it behind."""

    def __init__(self, account, page_size=3, page_sizes=None, throttle_every=0, denied=(), fail=(), delay=0.0,
                 validate=True, lifetime=600):
        self.account = account
        self.page_size, self.page_sizes, self.throttle_every = page_size, dict(page_sizes or {}), throttle_every
        self.denied, self.fail, self.delay, self.validate = set(denied), set(fail), delay, validate
        self.calls = []
        self.calls_of = collections.Counter()
        self.bugs = []
        self.lock, self.slow_lock = threading.Lock(), threading.Lock()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client killed mid-request
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.watchdog = threading.Timer(lifetime, self.server.shutdown)
        self.watchdog.daemon = True

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        self.watchdog.start()
        return self

    def __exit__(self, *exc):
        self.watchdog.cancel()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)

    def count(self, operation):
        with self.lock:
            return sum(1 for _, op in self.calls if op == operation)

    # ---- request handling ----

    def handle(self, request):
        service = self._service_of(request)
        operation, params = self._parse(service, request)
        with self.lock:
            self.calls.append((service, operation))
            self.calls_of[operation] += 1
            number = self.calls_of[operation]
        account = self.account_for(request, service, operation)
        if service in self.denied:
            code, status = DENIED_CODES[service]
            raise ApiError(code, f"User: arn:aws:sts::{account.account_id}:assumed-role/auditor/test is not "
                                 f"authorized to perform: {service}:{operation}", status)
        if operation in self.fail:  # a failure no retry mends
            raise ApiError("InvalidRequestException", "stub: planted failure", 400)
        if self.throttle_every and number % self.throttle_every == 0:
            raise ApiError(*THROTTLE_CODES[service][:1], "Rate exceeded", THROTTLE_CODES[service][1])
        handler = getattr(account, operation, None)
        if handler is None:
            raise ApiError("UnknownOperationException", f"stub does not implement {operation}", 400)
        if self.delay:
            with self.slow_lock:
                time.sleep(self.delay)
        shape = MODELS[service].operation_model(operation).output_shape
        response = handler(params, self.page_sizes.get(operation, self.page_size))
        response = to_model(response, shape) if shape else response
        if self.validate:
            validate_output(service, operation, response)
        return service, operation, response

    def account_for(self, request, service, operation):
        """The account a request is served from: the one account (a subclass serves several, told
        apart by the request's credentials and region)."""
        return self.account

    @staticmethod
    def _service_of(request):
        match = re.search(r"Credential=[^/]+/\d+/[^/]+/([^/]+)/aws4_request", request.headers.get("Authorization", ""))
        if not match or match.group(1) not in SIGNING_NAMES:
            raise ApiError("InvalidSignatureException", "stub: no SigV4 credential scope", 400)
        return SIGNING_NAMES[match.group(1)]

    def _parse(self, service, request):
        """(operation, params) of a request, the params in the types of the operation's input
        shape, validated against it."""
        body = request.body
        if PROTOCOLS[service] == "rest-json":
            name, params = self._parse_rest(service, request)
        elif PROTOCOLS[service] == "query":
            form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
            name = form.pop("Action")
            form.pop("Version", None)
            params = _unflatten_query(form, MODELS[service].operation_model(name).input_shape)
        else:
            target = request.headers.get("X-Amz-Target", "")
            name, params = target.split(".")[-1], json.loads(body or b"{}")
        validate_input(service, name, params)
        return name, params

    @staticmethod
    def _parse_rest(service, request):
        url = urllib.parse.urlsplit(request.path)
        for method, pattern, name in REST_ROUTES[service]:
            match = pattern.match(url.path)
            if method == request.command and match:
                break
        else:
            raise ApiError("ResourceNotFoundException", f"stub: no route {request.command} {url.path}", 404)
        shape = MODELS[service].operation_model(name).input_shape
        params = {}
        query = urllib.parse.parse_qs(url.query)
        for member_name, member in (shape.members.items() if shape else []):
            location, wire = member.serialization.get("location"), member.serialization.get("name", member_name)
            if location == "uri":
                params[member_name] = _from_text(urllib.parse.unquote(match.group(wire)), member)
            elif location == "querystring" and wire in query:
                values = query[wire]
                params[member_name] = [_from_text(v, member.member) for v in values] \
                    if member.type_name == "list" else _from_text(values[0], member)
            elif location == "header" and wire in request.headers:
                params[member_name] = _from_text(request.headers[wire], member)
        if request.body:
            params.update(json.loads(request.body))
        return name, params

    def respond(self, service, operation, response):
        if PROTOCOLS[service] != "query":
            shape = MODELS[service].operation_model(operation).output_shape
            body = json.dumps(_to_wire_json(response, shape) if shape else {})
            content_type = "application/json" if PROTOCOLS[service] == "rest-json" else "application/x-amz-json-1.1"
            return 200, {"Content-Type": content_type}, body.encode()
        shape = MODELS[service].operation_model(operation).output_shape
        result = _to_xml(response, shape, f"{operation}Result") if shape else ""
        body = (f'<{operation}Response xmlns="{XML_NAMESPACES[service]}">{result}'
                f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></{operation}Response>")
        return 200, {"Content-Type": "text/xml"}, body.encode()

    @staticmethod
    def error(service, error):
        if PROTOCOLS[service] == "query":
            body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{error.code}</Code><Message>{escape(error.message)}"
                    f"</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")
            return error.status, {"Content-Type": "text/xml"}, body.encode()
        if PROTOCOLS[service] == "rest-json":
            return error.status, {"Content-Type": "application/json", "x-amzn-ErrorType": error.code}, \
                json.dumps({"message": error.message}).encode()
        return error.status, {"Content-Type": "application/x-amz-json-1.1"}, \
            json.dumps({"__type": error.code, "message": error.message}).encode()

    def _handler_class(self):
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.body = self.rfile.read(length) if length else b""
                service = "iot"
                try:
                    service = stub._service_of(self)
                    service, operation, response = stub.handle(self)
                    status, headers, body = stub.respond(service, operation, response)
                except ApiError as error:
                    status, headers, body = stub.error(service, error)
                except Exception as error:  # a stub bug: make it loud in the test, not a hang
                    status, headers, body = stub.error(service, ApiError("InternalFailureException",
                                                                         f"stub bug: {type(error).__name__}: {error}", 500))
                    stub.bugs.append(f"{type(error).__name__}: {error}")
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args):
                pass

        return Handler
