{{/*
Image reference for a component: repository:tag
*/}}
{{- define "cilium.image" -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}

{{/*
Common labels.
*/}}
{{- define "cilium.labels" -}}
app.kubernetes.io/part-of: cilium
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
