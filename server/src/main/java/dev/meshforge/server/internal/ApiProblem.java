// A refusal the client caused or must know about, answered as RFC 9457 problem+json with a stable code.
package dev.meshforge.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown anywhere in a request; the API turns it into {@code application/problem+json}: {@code type} (a URN
 * naming the code), {@code title}, {@code status}, {@code detail} (one sentence for a person), {@code code} (stable,
 * for programs) and any extra members such as the field at fault.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String code;
    private final String title;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiProblem(int status, String code, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public static ApiProblem badRequest(String code, String detail) {
        return new ApiProblem(400, code, "Bad request", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not_found", "Not found", detail);
    }

    public ApiProblem with(String member, Object value) {
        extra.put(member, value);
        return this;
    }

    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Map<String, Object> body(String instance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "urn:meshforge:problem:" + code);
        m.put("title", title);
        m.put("status", status);
        m.put("detail", getMessage());
        m.put("code", code);
        if (instance != null) {
            m.put("instance", instance);
        }
        m.putAll(extra);
        return m;
    }
}
