/**
 * The few DOM helpers the pages share: elements from a tag, properties and
 * children (text is always text: nothing the API or the user sent becomes
 * markup), labelled fields, and live regions for status and errors.
 */
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
};

export const append = (parent: Node, ...children: Child[]): void => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
};

let ids = 0;
export const uniqueId = (prefix: string): string => `${prefix}-${++ids}`;

/** A label and its control, tied by id; `hint` is read out with the control (aria-describedby). */
export const field = (label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLDivElement => {
  control.id ||= uniqueId('field');
  const hintElement = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintElement);
};

export const input = (props: Props): HTMLInputElement => h('input', props);

type Option = string | { value: string; label: string };

export const select = (options: readonly Option[], selected: string | undefined, props: Props = {}): HTMLSelectElement =>
  h(
    'select',
    props,
    ...options.map((o) => {
      const { value, label } = typeof o === 'string' ? { value: o, label: o } : o;
      return h('option', { value, selected: value === selected }, label);
    }),
  );

/** A polite live region for progress ("Uploading…") and an assertive one for errors. */
export const messages = () => {
  const status = h('p', { role: 'status', class: 'status' });
  const alert = h('p', { role: 'alert', class: 'error' });
  return {
    nodes: [status, alert] as const,
    info: (text: string) => {
      alert.textContent = '';
      status.textContent = text;
    },
    error: (err: unknown) => {
      status.textContent = '';
      alert.textContent = err instanceof Error ? err.message : String(err);
    },
    clear: () => {
      status.textContent = '';
      alert.textContent = '';
    },
  };
};

/**
 * A form whose submit runs `action` once at a time: the submit button is
 * disabled meanwhile, and a failure is shown in the form's alert region.
 */
export const form = (
  props: Props & { label: string },
  children: Child[],
  submitLabel: string,
  action: (data: FormData, form: HTMLFormElement) => Promise<void>,
  feedback = messages(),
): HTMLFormElement => {
  const { label, ...rest } = props;
  const submit = h('button', { type: 'submit' }, submitLabel);
  const element = h('form', { ...rest, 'aria-label': label, novalidate: false }, ...children, submit, ...feedback.nodes);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    feedback.clear();
    action(new FormData(element), element)
      .catch((err: unknown) => feedback.error(err))
      .finally(() => {
        submit.disabled = false;
      });
  });
  return element;
};

export const formText = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
};

export const dateTime = (iso: string): string => new Date(iso).toLocaleString();
