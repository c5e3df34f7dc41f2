// Public endpoint through the AWS Load Balancer Controller: an ALB Ingress that terminates TLS
// with an ACM certificate, keeps websockets open (idle timeout 3600 s), health-checks /health,
// drains targets within the pods' grace period; optional Route 53 alias to the ALB.
import * as pulumi from "@pulumi/pulumi";
import * as lb from "@pulumi/aws/lb";
import * as route53 from "@pulumi/aws/route53";
import type { LoadBalancer, ProviderContext } from "../../components/platform/port";
import { AwsLoadBalancerScheme } from "../../components/platform/awsArgs";
import type { Aws } from "../../components/platform/awsArgs";
import { DEFAULT_IDLE_TIMEOUT, DEFAULT_SSL_POLICY, deregistrationDelay } from "./catalog";
import { awsArgs, regionArg } from "./shared";
import { accessLogsOn, albAccessLogAttributes } from "./accessLogs";
import type { ResolvedSpec } from "../../components/spec/spec";
import { ALB_TLS12_POLICY } from "../../components/spec/exposure";
import { enumValues, problem } from "../../components/spec/errors";

const A = "alb.ingress.kubernetes.io";

/** HTTPS listener attributes setting HSTS, nosniff and X-Frame-Options on every ALB response. */
export const ALB_SECURITY_HEADERS = [
    "routing.http.response.strict_transport_security.header_value=max-age=31536000; includeSubDomains",
    "routing.http.response.x_content_type_options.header_value=nosniff",
    "routing.http.response.x_frame_options.header_value=DENY",
].join(",");

/** ALB tags annotation value (`k=v,k2=v2`); characters the controller cannot parse are dropped. */
function tagsAnnotation(tags: { [key: string]: string }): string {
    return Object.entries(tags)
        .filter(([k, v]) => !/[,=]/.test(k) && !/[,=]/.test(v))
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
}

/** `load-balancer-attributes`: websocket idle timeout, invalid header fields dropped, access logs (hardening.accessLogs). */
function loadBalancerAttributes(ctx: ProviderContext): pulumi.Input<string> {
    // Websockets (Socket.IO at /ws/socket.io) stay open far longer than the 60 s default.
    const base = `idle_timeout.timeout_seconds=${awsArgs(ctx).loadBalancer?.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT},routing.http.drop_invalid_header_fields.enabled=true`;
    if (!accessLogsOn(ctx.spec)) return base;
    return pulumi.interpolate`${base},${albAccessLogAttributes(ctx)}`;
}

export function ingressAnnotations(ctx: ProviderContext): { [key: string]: pulumi.Input<string> } {
    const spec = ctx.spec;
    const aws = awsArgs(ctx);
    const o = aws.loadBalancer ?? {};
    const tls = spec.tls.enabled;
    const ann: { [key: string]: pulumi.Input<string> } = {
        [`${A}/scheme`]: o.scheme ?? AwsLoadBalancerScheme.InternetFacing,
        [`${A}/target-type`]: "ip",
        [`${A}/listen-ports`]: tls ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTP":80}]',
        [`${A}/backend-protocol`]: "HTTP",
        [`${A}/healthcheck-path`]: "/health",
        [`${A}/success-codes`]: "200",
        [`${A}/load-balancer-attributes`]: loadBalancerAttributes(ctx),
        [`${A}/target-group-attributes`]: `deregistration_delay.timeout_seconds=${deregistrationDelay(spec)}`,
    };
    if (tls) {
        ann[`${A}/certificate-arn`] = aws.certificateArn!;
        ann[`${A}/ssl-redirect`] = "443";
        ann[`${A}/ssl-policy`] = o.sslPolicy ?? DEFAULT_SSL_POLICY;
        // hardening.securityHeaders: the ALB adds what its listener attributes offer (no Referrer-Policy: the app sets it).
        if (spec.hardening.securityHeaders !== false) ann[`${A}/listener-attributes.HTTPS-443`] = ALB_SECURITY_HEADERS;
    }
    if (o.groupName) ann[`${A}/group.name`] = o.groupName;
    const tags = tagsAnnotation(ctx.tags);
    if (tags) ann[`${A}/tags`] = tags;
    return { ...ann, ...(o.extraAnnotations ?? {}) };
}

export function createLoadBalancer(ctx: ProviderContext): LoadBalancer {
    const spec = ctx.spec;
    const aws = awsArgs(ctx);
    return {
        kind: "ingress",
        ingressClassName: aws.loadBalancer?.ingressClassName ?? "alb",
        ingressAnnotations: ingressAnnotations(ctx),
        serviceAnnotations: {},
        url: pulumi.output(spec.url),
        afterRoute(route) {
            if (aws.route53ZoneId === undefined || route === undefined) return;
            // The controller writes the ALB's DNS name into the Ingress status once the ALB exists.
            const albHostname = pulumi
                .output((route as unknown as { status: pulumi.Output<{ loadBalancer?: { ingress?: { hostname?: string }[] } } | undefined> }).status)
                .apply((st) => st?.loadBalancer?.ingress?.[0]?.hostname as string);
            const albZone = lb.getHostedZoneIdOutput({ loadBalancerType: "application", ...regionArg(ctx) }, { parent: ctx.parent });
            new route53.Record(
                `${ctx.name}-dns`,
                {
                    zoneId: aws.route53ZoneId,
                    name: spec.hostname,
                    type: "A",
                    aliases: [{ name: albHostname, zoneId: albZone.id, evaluateTargetHealth: true }],
                },
                ctx.opts({ dependsOn: [route] }),
            );
        },
    };
}

/** Problems of aws.loadBalancer: scheme, timeouts, group, TLS policy, class and annotation keys. */
export function loadBalancerProblems(spec: ResolvedSpec, a: Aws): string[] {
    const p: string[] = [];
    const lb = a.loadBalancer ?? {};
    const scheme = lb.scheme ?? AwsLoadBalancerScheme.InternetFacing;
    if (!enumValues(AwsLoadBalancerScheme).includes(scheme)) {
        p.push(problem("aws.loadBalancer.scheme", scheme, `use one of ${enumValues(AwsLoadBalancerScheme).join(", ")}`));
    }
    if (lb.idleTimeoutSeconds !== undefined && (!Number.isInteger(lb.idleTimeoutSeconds) || lb.idleTimeoutSeconds < 65 || lb.idleTimeoutSeconds > 4000)) {
        p.push(
            problem(
                "aws.loadBalancer.idleTimeoutSeconds",
                lb.idleTimeoutSeconds,
                "use 65 to 4000 seconds: below 65 the ALB cuts idle websockets (default 3600)",
            ),
        );
    }
    const grace = spec.pod.terminationGracePeriodSeconds;
    if (lb.deregistrationDelaySeconds !== undefined) {
        if (!Number.isInteger(lb.deregistrationDelaySeconds) || lb.deregistrationDelaySeconds < 0 || lb.deregistrationDelaySeconds > 3600) {
            p.push(problem("aws.loadBalancer.deregistrationDelaySeconds", lb.deregistrationDelaySeconds, "use 0 to 3600 seconds"));
        } else if (lb.deregistrationDelaySeconds > grace) {
            p.push(
                problem(
                    "aws.loadBalancer.deregistrationDelaySeconds",
                    lb.deregistrationDelaySeconds,
                    `it exceeds pod.terminationGracePeriodSeconds (${grace}): the ALB would keep sending requests to killed pods; lower it or raise the grace period`,
                ),
            );
        }
    }
    if (lb.groupName !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/.test(lb.groupName)) {
        p.push(problem("aws.loadBalancer.groupName", lb.groupName, "use at most 63 lowercase letters, digits, '-' and '.'"));
    }
    if (lb.sslPolicy !== undefined && !ALB_TLS12_POLICY.test(lb.sslPolicy)) {
        p.push(
            problem(
                "aws.loadBalancer.sslPolicy",
                lb.sslPolicy,
                "use an ALB security policy that allows TLS 1.2 or 1.3 only, such as ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS13-1-2-*, TLS13-1-3-*, TLS-1-2-*, FS-1-2-*); older policies accept TLS 1.0/1.1",
            ),
        );
    }
    if (lb.ingressClassName !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(lb.ingressClassName)) {
        p.push(
            problem("aws.loadBalancer.ingressClassName", lb.ingressClassName, "use the IngressClass name of the AWS Load Balancer Controller (default alb)"),
        );
    }
    for (const k of Object.keys(lb.extraAnnotations ?? {})) {
        if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k)) {
            p.push(problem(`aws.loadBalancer.extraAnnotations.${k}`, k, "use a valid annotation key, e.g. alb.ingress.kubernetes.io/wafv2-acl-arn"));
        }
    }
    return p;
}
