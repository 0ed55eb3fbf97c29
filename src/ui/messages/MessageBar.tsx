import { useApp } from '../store.js';

/** One line per problem, naming the file; the app keeps working underneath. */
export function MessageBar() {
  const messages = useApp((s) => s.messages);
  const dismiss = useApp((s) => s.dismissMessage);
  if (messages.length === 0) return null;
  return (
    <div className="messages">
      {messages.map((m) => (
        <div key={m.id} className={`message ${m.level}`} role={m.level === 'error' ? 'alert' : 'status'}>
          <span className="message-text">{m.text}</span>
          <button type="button" className="dismiss" aria-label="Dismiss message" onClick={() => dismiss(m.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
